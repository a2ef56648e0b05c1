# SPDX-License-Identifier: GPL-2.0
# The kernel matrix: one line per series, sourced by every script that needs it.
# Each series is built inside a chroot of the Debian release that built its kernel.

TP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TP_CACHE=${TP_CACHE:-$TP_ROOT/.cache}
TP_ALL_SERIES="5.10 6.1 6.12 bpo sid"
TP_MIRROR=http://deb.debian.org/debian
TP_SECURITY=http://deb.debian.org/debian-security

# series -> chroot suite
tp_suite() {
	case "$1" in
	5.10) echo bullseye ;;
	6.1 | 6.12) echo bookworm ;;
	bpo) echo trixie ;;
	debug) echo bookworm ;;	# the debug kernel, built from linux-source-6.12
	sid) echo sid ;;
	*) echo "unknown kernel series '$1' (known: $TP_ALL_SERIES)" >&2; return 2 ;;
	esac
}

# tp_known_series SERIES...: true if each is a series of the matrix; else
# says which is not (tp_suite's message) and returns 2, the usage error.
tp_known_series() {
	local series
	for series in "$@"; do
		tp_suite "$series" >/dev/null || return 2
	done
}

# series -> the release recorded by scripts/provision (empty when not provisioned)
tp_release() {
	cat "$TP_CACHE/series/$1" 2>/dev/null || true
}

tp_chroot_dir() {
	echo "$TP_CACHE/chroots/$(tp_suite "$1")"
}

# Run a command inside a series' chroot with /proc mounted, in a private mount
# namespace so nothing stays mounted when it ends, whatever way it ends.
# Extra bind mounts: TP_BIND="host_dir:chroot_dir ..." (the chroot_dir is created).
tp_in_chroot() {
	local root binds="" pair
	root=$(tp_chroot_dir "$1")
	shift
	for pair in ${TP_BIND:-}; do
		mkdir -p "$root${pair#*:}"
		binds="$binds mount --bind '${pair%%:*}' '$root${pair#*:}';"
	done
	unshare -m --propagation private sh -c "mount -t proc proc '$root/proc' && $binds exec chroot '$root' \"\$@\"" \
		tp-chroot env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
}

# tp_prepare TOOL SERIES...: what make demo and make bench need before a VM
# boots: root, the host packages, and each series provisioned (cached).
tp_prepare() {
	local tool=$1 series
	shift
	[ "$(id -u)" = 0 ] || { echo "make $tool must run as root (debootstrap, chroot, apt-get)" >&2; return 2; }
	tp_known_series "$@" || return 2
	bash "$TP_ROOT/scripts/host-deps" || return 1
	mkdir -p "$TP_CACHE/logs"
	for series in "$@"; do
		echo "# $tool: preparing kernel $series (first run: a few minutes; cached after)" >&2
		bash "$TP_ROOT/scripts/provision" "$series" >"$TP_CACHE/logs/provision-$series.log" 2>&1 ||
			{ tail -n 20 "$TP_CACHE/logs/provision-$series.log" >&2; return 1; }
	done
}
