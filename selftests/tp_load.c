// SPDX-License-Identifier: GPL-2.0
/*
 * tp_load: load a module with finit_module(2), optionally forced past
 * modversions and vermagic (as `modprobe --force` does), and say clearly
 * why a load failed. busybox insmod cannot force.
 *
 * usage: tp_load [-f] MODULE.ko [param=value ...]
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

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	char params[4096] = "";
	int arg = 1, fd;

	if (arg < argc && !strcmp(argv[arg], "-f")) {
		flags = MODULE_INIT_IGNORE_MODVERSIONS | MODULE_INIT_IGNORE_VERMAGIC;
		arg++;
	}
	if (arg >= argc) {
		fprintf(stderr, "usage: tp_load [-f] MODULE.ko [param=value ...]\n");
		return 2;
	}
	fd = open(argv[arg], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tp_load: %s: %s\n", argv[arg], strerror(errno));
		return 2;
	}
	for (arg++; arg < argc; arg++) {
		strncat(params, argv[arg], sizeof(params) - strlen(params) - 2);
		strcat(params, " ");
	}
	if (syscall(SYS_finit_module, fd, params, flags)) {
		int err = errno;

		const char *why = "";

		if (err == EKEYREJECTED || err == ENOKEY)
			why = ": module signature rejected or missing";
		else if (err == ENOEXEC)
			why = ": bad module format or symbol version (CRC) mismatch";
		else if (err == EINVAL)
			why = ": invalid parameter or module (see dmesg)";
		fprintf(stderr, "tp_load: %s refused: %s (errno %d)%s\n", argv[flags ? 2 : 1],
			strerror(err), err, why);
		return 1;
	}
	return 0;
}
