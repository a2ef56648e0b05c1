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
 * usage: tp_load [-f] [-F N] MODULE.ko [param=value ...]
 * exit: 0 loaded, 1 the kernel refused (the reason is printed), 2 usage
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	char params[4096] = "";
	const char *fail_nth = NULL, *module;
	int arg = 1, fd, nth_fd = -1, ret;

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
