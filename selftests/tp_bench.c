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
 *   tp_bench code FILE SECTIONS_DIR    print "START END" (hex) of each
 *                                      executable section of module FILE
 *                                      but its init code, where the module
 *                                      loaded from it has the section: START
 *                                      read from SECTIONS_DIR
 *                                      (/sys/module/NAME/sections)
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

/* The first line of @path in @text, NUL-terminated; -1 with a message if it has none. */
static int read_text(const char *path, char *text, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0) {
		perror(path);
		return -1;
	}
	got = read(fd, text, len - 1);
	close(fd);
	if (got <= 0) {
		fprintf(stderr, "tp_bench: read %s: %s\n", path, got ? strerror(errno) : "empty");
		return -1;
	}
	text[got] = '\0';
	return 0;
}

/* The number in @path (the CPUs' idle time), or -1 with a message. */
static long long read_number(const char *path)
{
	char text[32];

	return read_text(path, text, sizeof(text)) ? -1 : atoll(text);
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

static unsigned char image[64 << 20];

/* An ELF64 file read into image[]: its section headers and their names' section. */
struct elf_file {
	size_t size;
	const struct elf64_shdr *sections;
	unsigned int count;
	const struct elf64_shdr *names;
};

static int elf_read(const char *path, struct elf_file *elf)
{
	const struct elf64_hdr *header = (const struct elf64_hdr *)image;
	FILE *file = fopen(path, "rb");

	if (!file) {
		perror(path);
		return 1;
	}
	elf->size = fread(image, 1, sizeof(image), file);
	fclose(file);
	if (elf->size < sizeof(*header) || memcmp(image, ELFMAG, SELFMAG) ||
	    image[EI_CLASS] != ELFCLASS64 || header->e_shentsize != sizeof(*elf->sections) ||
	    header->e_shoff > elf->size || header->e_shstrndx >= header->e_shnum ||
	    header->e_shnum > (elf->size - header->e_shoff) / sizeof(*elf->sections)) {
		fprintf(stderr, "tp_bench: %s is not a whole ELF64 file\n", path);
		return 1;
	}
	elf->sections = (const struct elf64_shdr *)(image + header->e_shoff);
	elf->count = header->e_shnum;
	elf->names = &elf->sections[header->e_shstrndx];
	return 0;
}

/* Section @i's name, or NULL if the file does not hold it whole. */
static const char *elf_section_name(const struct elf_file *elf, unsigned int i)
{
	size_t at = elf->names->sh_offset + elf->sections[i].sh_name;

	if (elf->names->sh_offset >= elf->size || at >= elf->size ||
	    !memchr(image + at, '\0', elf->size - at))
		return NULL;
	return (const char *)image + at;
}

static int section_size(const char *path, const char *name)
{
	struct elf_file elf;

	if (elf_read(path, &elf))
		return 1;
	for (unsigned int i = 0; i < elf.count; i++) {
		const char *section = elf_section_name(&elf, i);

		if (section && !strcmp(section, name)) {
			printf("%llu\n", (unsigned long long)elf.sections[i].sh_size);
			return 0;
		}
	}
	fprintf(stderr, "tp_bench: %s has no section %s\n", path, name);
	return 1;
}

/*
 * Where the module loaded from @path has its code, but its init code (freed
 * once its init returned): each executable section's load address, as
 * @dir (/sys/module/NAME/sections) gives it, and that plus its size. The
 * kernel lists there every section it allocated; one it does not list is
 * not in memory, and is left out.
 */
static int code_ranges(const char *path, const char *dir)
{
	unsigned int printed = 0;
	struct elf_file elf;

	if (elf_read(path, &elf))
		return 1;
	for (unsigned int i = 0; i < elf.count; i++) {
		const struct elf64_shdr *section = &elf.sections[i];
		const char *name = elf_section_name(&elf, i);
		char where[4096], text[32];
		unsigned long long start;

		if (!name || !(section->sh_flags & SHF_ALLOC) ||
		    !(section->sh_flags & SHF_EXECINSTR) || !section->sh_size ||
		    !strncmp(name, ".init", strlen(".init")))
			continue;
		snprintf(where, sizeof(where), "%s/%s", dir, name);
		if (access(where, F_OK) && errno == ENOENT)
			continue;
		if (read_text(where, text, sizeof(text)))
			return 1;
		start = strtoull(text, NULL, 16);
		if (!start) {
			/* kptr_restrict hides it: no range can be told. */
			fprintf(stderr, "tp_bench: %s gives no address\n", where);
			return 1;
		}
		printf("0x%llx 0x%llx\n", start, start + section->sh_size);
		printed++;
	}
	if (!printed) {
		fprintf(stderr, "tp_bench: %s lists none of the code sections of %s\n", dir, path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "cycles"))
		return cycles(atol(argv[2]), argv[3], argv[4], argc == 6 ? argv[5] : NULL);
	if (argc == 4 && !strcmp(argv[1], "read"))
		return reads(atol(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "section"))
		return section_size(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "code"))
		return code_ranges(argv[2], argv[3]);
	fprintf(stderr, "usage: tp_bench cycles N MODULE.ko NAME [IDLE_FILE] | read N FILE |\n"
		"       tp_bench section FILE NAME | code FILE SECTIONS_DIR\n");
	return 2;
}
