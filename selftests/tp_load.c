// SPDX-License-Identifier: GPL-2.0
/*
 * tp_load: load a module with finit_module(2), optionally forced past
 * modversions and vermagic (as `modprobe --force` does), and say clearly
 * why a load failed. busybox insmod cannot force.
 *
 * With -F N (CONFIG_FAULT_INJECTION), the N-th fault-injection point the
 * load reaches fails (/proc/thread-self/fail-nth), filtered as the
 * failslab and fail_page_alloc debugfs files say; tp_load then prints
 * "fault injected" or "fault not reached" on stdout.
 *
 * With -R WHERE NAME it forces module NAME out instead (delete_module(2)
 * with O_TRUNC, as rmmod -f does), the name placed in memory as WHERE
 * says: "page-end", its NUL the last byte of a page after which nothing
 * is mapped; "page-cross", starting 4 bytes before a page's end. The
 * tracker reads the name back from there.
 *
 * usage: tp_load [-f] [-F N] MODULE.ko [param=value ...]
 *        tp_load -R page-end|page-cross NAME
 * exit: 0 loaded (or forced out), 1 the kernel refused (the reason is
 * printed), 2 usage
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MODULE_INIT_IGNORE_MODVERSIONS
#define MODULE_INIT_IGNORE_MODVERSIONS 1
#define MODULE_INIT_IGNORE_VERMAGIC 2
#endif

#define FAIL_NTH "/proc/thread-self/fail-nth"

/* Arm fail-nth for this thread: the N-th fault point it reaches fails. */
static int fail_nth_open(const char *nth)
{
	int fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);

	if (fd < 0 || write(fd, nth, strlen(nth)) != (ssize_t)strlen(nth)) {
		fprintf(stderr, "tp_load: %s: %s\n", FAIL_NTH, strerror(errno));
		return -1;
	}
	return fd;
}

/* After the load: 0 left means the fault was injected; disarm either way. */
static void fail_nth_report(int fd)
{
	char left[32] = "";
	ssize_t len = pread(fd, left, sizeof(left) - 1, 0);

	if (write(fd, "0", 1) != 1 || len <= 0) {
		fprintf(stderr, "tp_load: %s: cannot read back or disarm\n", FAIL_NTH);
		exit(2);
	}
	printf("%s\n", atoi(left) == 0 ? "fault injected" : "fault not reached");
	fflush(stdout);
}

static int force_unload(const char *where, const char *name)
{
	size_t page = sysconf(_SC_PAGESIZE), len = strlen(name) + 1;
	char *pages, *at;

	if (len < 5 || len > page ||
	    (strcmp(where, "page-end") && strcmp(where, "page-cross"))) {
		fprintf(stderr, "usage: tp_load -R page-end|page-cross NAME (4 or more long)\n");
		return 2;
	}
	pages = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED) {
		fprintf(stderr, "tp_load: mmap: %s\n", strerror(errno));
		return 2;
	}
	if (!strcmp(where, "page-end")) {
		at = pages + page - len;
		if (munmap(pages + page, page)) {
			fprintf(stderr, "tp_load: munmap: %s\n", strerror(errno));
			return 2;
		}
	} else {
		at = pages + page - 4;
	}
	memcpy(at, name, len);
	if (syscall(SYS_delete_module, at, O_NONBLOCK | O_TRUNC)) {
		fprintf(stderr, "tp_load: cannot force %s out: %s (errno %d)\n", name,
			strerror(errno), errno);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	char params[4096] = "";
	const char *fail_nth = NULL, *module;
	int arg = 1, fd, nth_fd = -1, ret;

	if (argc == 4 && !strcmp(argv[1], "-R"))
		return force_unload(argv[2], argv[3]);
	if (arg < argc && !strcmp(argv[arg], "-f")) {
		flags = MODULE_INIT_IGNORE_MODVERSIONS | MODULE_INIT_IGNORE_VERMAGIC;
		arg++;
	}
	if (arg + 1 < argc && !strcmp(argv[arg], "-F")) {
		fail_nth = argv[arg + 1];
		if (atoi(fail_nth) <= 0) {
			fprintf(stderr, "tp_load: -F wants a number > 0, not '%s'\n", fail_nth);
			return 2;
		}
		arg += 2;
	}
	if (arg >= argc) {
		fprintf(stderr, "usage: tp_load [-f] [-F N] MODULE.ko [param=value ...]\n");
		return 2;
	}
	module = argv[arg];
	fd = open(module, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tp_load: %s: %s\n", argv[arg], strerror(errno));
		return 2;
	}
	for (arg++; arg < argc; arg++) {
		strncat(params, argv[arg], sizeof(params) - strlen(params) - 2);
		strcat(params, " ");
	}
	if (fail_nth) {
		nth_fd = fail_nth_open(fail_nth);
		if (nth_fd < 0)
			return 2;
	}
	ret = syscall(SYS_finit_module, fd, params, flags);
	if (nth_fd >= 0) {
		int err = errno;

		fail_nth_report(nth_fd);
		errno = err;
	}
	if (ret) {
		int err = errno;

		const char *why = "";

		if (err == EKEYREJECTED || err == ENOKEY)
			why = ": module signature rejected or missing";
		else if (err == ENOEXEC)
			why = ": bad module format or symbol version (CRC) mismatch";
		else if (err == EINVAL)
			why = ": invalid parameter or module (see dmesg)";
		else if (err == ENOMEM)
			why = ": out of memory";
		fprintf(stderr, "tp_load: %s refused: %s (errno %d)%s\n", module,
			strerror(err), err, why);
		return 1;
	}
	return 0;
}
