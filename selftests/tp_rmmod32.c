// SPDX-License-Identifier: GPL-2.0
/*
 * tp_rmmod32: force module NAME out (delete_module(2) with O_TRUNC, as
 * rmmod -f does) from a 32-bit task on an x86_64 kernel. Built with -m32
 * (tp_rmmod32) its system call reaches the kernel through the IA32
 * emulation, with i386's call number and registers; built with -mx32
 * (tp_rmmodx32) it is an x32 call: the 64-bit call and registers, its
 * number marked as x32's. The tracker must read the name from either
 * call's arguments as from a 64-bit one's.
 *
 * It uses no C library, so that any x86_64 gcc builds it (-ffreestanding
 * -nostdlib -static) without a 32-bit or x32 libc on the build host or in
 * the VM.
 *
 * usage: tp_rmmod32 NAME
 * exit: 0 forced out, 1 the kernel refused (its errno printed), 2 usage
 */
/* The system call numbers and open(2) flags: a fixed ABI. */
#define TP_O_TRUNC		01000
#define TP_O_NONBLOCK		04000

#if defined(__x86_64__) && defined(__ILP32__)
#define TP_X32_CALL		0x40000000
#define TP_NR_EXIT		(TP_X32_CALL | 60)
#define TP_NR_WRITE		(TP_X32_CALL | 1)
#define TP_NR_DELETE_MODULE	(TP_X32_CALL | 176)

static long tp_syscall(long nr, long arg0, long arg1, long arg2)
{
	long ret;

	asm volatile ("syscall"
		      : "=a" (ret)
		      : "a" (nr), "D" (arg0), "S" (arg1), "d" (arg2)
		      : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__i386__)
#define TP_NR_EXIT		1
#define TP_NR_WRITE		4
#define TP_NR_DELETE_MODULE	129

static long tp_syscall(long nr, long arg0, long arg1, long arg2)
{
	long ret;

	asm volatile ("int $0x80"
		      : "=a" (ret)
		      : "a" (nr), "b" (arg0), "c" (arg1), "d" (arg2)
		      : "memory");
	return ret;
}
#else
#error "tp_rmmod32 is built with -m32 or -mx32"
#endif

static void tp_say(const char *text)
{
	long len = 0;

	while (text[len])
		len++;
	tp_syscall(TP_NR_WRITE, 2, (long)text, len);
}

static void tp_exit(int code)
{
	for (;;)
		tp_syscall(TP_NR_EXIT, code, 0, 0);
}

/* Called from _start with the stack the kernel set up: argc, then argv. Never returns. */
void tp_rmmod32_main(long *stack)
{
	long argc = stack[0];
	char **argv = (char **)&stack[1];
	char digits[12];
	unsigned long err;
	long ret;
	int at;

	if (argc != 2) {
		tp_say("usage: tp_rmmod32 NAME\n");
		tp_exit(2);
	}
	ret = tp_syscall(TP_NR_DELETE_MODULE, (long)argv[1], TP_O_TRUNC | TP_O_NONBLOCK, 0);
	if (!ret)
		tp_exit(0);
	err = -ret;
	at = sizeof(digits) - 1;
	digits[at] = '\0';
	do {
		digits[--at] = '0' + err % 10;
		err /= 10;
	} while (err && at > 0);
	tp_say("tp_rmmod32: delete_module ");
	tp_say(argv[1]);
	tp_say(": errno ");
	tp_say(&digits[at]);
	tp_say("\n");
	tp_exit(1);
}

/*
 * The entry point: the stack pointer to tp_rmmod32_main(), the stack
 * 16-byte aligned at the call. The kernel set up argc and argv as 32-bit
 * words in both builds; x32 passes the first argument in a register.
 */
#if defined(__x86_64__)
asm(".globl _start\n"
	"_start:\n"
	"movl %esp, %edi\n"
	"andl $-16, %esp\n"
	"call tp_rmmod32_main\n");
#else
asm(".globl _start\n"
	"_start:\n"
	"movl %esp, %eax\n"
	"andl $-16, %esp\n"
	"subl $12, %esp\n"
	"pushl %eax\n"
	"call tp_rmmod32_main\n");
#endif
