// SPDX-License-Identifier: GPL-2.0
/*
 * tp_bench: timing helpers for selftests/bench.sh, so no fork or shell
 * start-up sits inside a measurement.
 *
 *   tp_bench cycles N MODULE.ko NAME [IDLE_FILE]
 *                                      load and unload a module N times;
 *                                      print each cycle's time in ns, less
 *                                      the growth of the idle time in ns
 *                                      that IDLE_FILE gives, if named
 *   tp_bench read N FILE               read FILE to the end N times;
 *                                      print each read's time in ns
 *   tp_bench section FILE NAME         print the size of ELF64 section NAME
 *                                      of FILE (a module's .data..percpu:
 *                                      what it takes per possible CPU)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/elf.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The number in @path (the CPUs' idle time), or -1 with a message. */
static long long read_number(const char *path)
{
	char text[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0) {
		perror(path);
		return -1;
	}
	got = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (got <= 0) {
		fprintf(stderr, "tp_bench: read %s: %s\n", path, got ? strerror(errno) : "empty");
		return -1;
	}
	text[got] = '\0';
	return atoll(text);
}

static int cycles(long n, const char *path, const char *name, const char *idle_path)
{
	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		long long start, elapsed, idle = 0;

		if (fd < 0) {
			perror(path);
			return 1;
		}
		/* Read outside the timed span; only waits inside it are idle. */
		if (idle_path) {
			idle = read_number(idle_path);
			if (idle < 0)
				return 1;
		}
		start = now_ns();
		if (syscall(SYS_finit_module, fd, "", 0)) {
			fprintf(stderr, "tp_bench: load %s: %s\n", path, strerror(errno));
			return 1;
		}
		while (syscall(SYS_delete_module, name, O_NONBLOCK)) {
			if (errno != EAGAIN && errno != EBUSY) {
				fprintf(stderr, "tp_bench: unload %s: %s\n", name, strerror(errno));
				return 1;
			}
		}
		elapsed = now_ns() - start;
		if (idle_path) {
			long long idle_after = read_number(idle_path);

			if (idle_after < 0)
				return 1;
			elapsed -= idle_after - idle;
		}
		printf("%lld\n", elapsed);
		close(fd);
	}
	return 0;
}

static int reads(long n, const char *path)
{
	static char buf[1 << 16];

	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		long long start = now_ns();
		ssize_t got;

		if (fd < 0) {
			perror(path);
			return 1;
		}
		while ((got = read(fd, buf, sizeof(buf))) > 0)
			;
		if (got < 0) {
			perror(path);
			return 1;
		}
		printf("%lld\n", now_ns() - start);
		close(fd);
	}
	return 0;
}

static int section_size(const char *path, const char *name)
{
	static unsigned char image[64 << 20];
	const struct elf64_hdr *header = (const struct elf64_hdr *)image;
	const struct elf64_shdr *sections, *names;
	FILE *file = fopen(path, "rb");
	size_t size;

	if (!file) {
		perror(path);
		return 1;
	}
	size = fread(image, 1, sizeof(image), file);
	fclose(file);
	if (size < sizeof(*header) || memcmp(image, ELFMAG, SELFMAG) ||
	    image[EI_CLASS] != ELFCLASS64 || header->e_shentsize != sizeof(*sections) ||
	    header->e_shoff > size || header->e_shstrndx >= header->e_shnum ||
	    header->e_shnum > (size - header->e_shoff) / sizeof(*sections)) {
		fprintf(stderr, "tp_bench: %s is not a whole ELF64 file\n", path);
		return 1;
	}
	sections = (const struct elf64_shdr *)(image + header->e_shoff);
	names = &sections[header->e_shstrndx];
	for (unsigned int i = 0; i < header->e_shnum; i++) {
		if (names->sh_offset + sections[i].sh_name >= size)
			continue;
		if (!strncmp((const char *)image + names->sh_offset + sections[i].sh_name, name,
			     size - names->sh_offset - sections[i].sh_name)) {
			printf("%llu\n", (unsigned long long)sections[i].sh_size);
			return 0;
		}
	}
	fprintf(stderr, "tp_bench: %s has no section %s\n", path, name);
	return 1;
}

int main(int argc, char **argv)
{
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "cycles"))
		return cycles(atol(argv[2]), argv[3], argv[4], argc == 6 ? argv[5] : NULL);
	if (argc == 4 && !strcmp(argv[1], "read"))
		return reads(atol(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "section"))
		return section_size(argv[2], argv[3]);
	fprintf(stderr, "usage: tp_bench cycles N MODULE.ko NAME [IDLE_FILE] | read N FILE |\n"
		"       tp_bench section FILE NAME\n");
	return 2;
}
