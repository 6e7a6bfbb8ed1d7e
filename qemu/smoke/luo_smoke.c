// SPDX-License-Identifier: Apache-2.0
/*
 * luo_smoke: end-to-end proof of a real LUO (generation B) live update.
 *
 *   luo_smoke stage1 <bzImage> <initrd> <stage-2 cmdline>
 *       opens /dev/liveupdate, checks the documented errors, creates session
 *       "smoke", preserves a 1 MiB memfd (token 1), kexec_file_load()s the
 *       kernel and reboot(LINUX_REBOOT_CMD_KEXEC)s. Does not return on success.
 *   luo_smoke stage2
 *       retrieves "smoke", token 1, verifies size, position, seals and bytes,
 *       FINISHes, prints "luo_smoke: PASS ..." and exits 0.
 *   luo_smoke limits <max-sessions> <max-files>
 *       creates sessions, then preserves 4 KiB memfds in one session, until
 *       the kernel refuses or the maximum is reached; prints LIMIT lines.
 *
 * Every check prints one line "luo_smoke: CHECK <name>: ok|FAIL (...)" so
 * the console log documents what the kernel actually did. Static build:
 *   gcc -O2 -static -o luo_smoke luo_smoke.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef F_SEAL_SHRINK
#define F_SEAL_SHRINK 0x0002
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 2U
#endif
#ifndef __NR_kexec_file_load
#define __NR_kexec_file_load 320 /* x86-64 */
#endif
#define LINUX_REBOOT_CMD_KEXEC_ 0x45584543

/* ioctl numbers: _IO(0xBA, nr) */
#define LU_CREATE_SESSION   0xBA00
#define LU_RETRIEVE_SESSION 0xBA01
#define LU_PRESERVE_FD      0xBA40
#define LU_RETRIEVE_FD      0xBA41
#define LU_FINISH           0xBA42
#define LU_GET_NAME         0xBA43

struct lu_session {          /* CREATE_SESSION / RETRIEVE_SESSION, 72 bytes */
	uint32_t size;
	int32_t fd;
	char name[64];
};
struct lu_fd {               /* PRESERVE_FD / RETRIEVE_FD, 16 bytes */
	uint32_t size;
	int32_t fd;
	uint64_t token __attribute__((aligned(8)));
};
struct lu_finish {           /* FINISH, 8 bytes */
	uint32_t size;
	uint32_t reserved;
};
struct lu_get_name {         /* GET_NAME, 72 bytes */
	uint32_t size;
	uint32_t reserved;
	char name[64];
};
_Static_assert(sizeof(struct lu_session) == 72, "session struct");
_Static_assert(sizeof(struct lu_fd) == 16, "fd struct");

#define DATA_SIZE (1u << 20)
#define DATA_SEED 0x5eed1234abcdULL
#define PATCH_SEED 0xfeedfaceULL
#define PATCH_OFF (DATA_SIZE - 4096)
#define DATA_POS 12345

static int failures;

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("luo_smoke: ");
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

static void check(const char *name, int ok, const char *fmt, ...)
{
	char buf[256] = "";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!ok)
		failures++;
	say("CHECK %s: %s (%s)", name, ok ? "ok" : "FAIL", buf);
}

static const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENOTTY: return "ENOTTY";
	case EFAULT: return "EFAULT";
	case E2BIG: return "E2BIG";
	case EPERM: return "EPERM";
	case EBADF: return "EBADF";
	case EIO: return "EIO";
	case ENOSPC: return "ENOSPC";
	case ENOMEM: return "ENOMEM";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return strerror(e);
	}
}

/* ioctl returning 0 or the errno */
static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) == 0 ? 0 : errno;
}

static void expect_errno(const char *name, int got, int want)
{
	check(name, got == want, "got %s, expected %s", ename(got), ename(want));
}

static void fill(unsigned char *p, size_t n, uint64_t seed)
{
	uint64_t x = seed;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17; /* xorshift64 */
		p[i] = (unsigned char)(x >> 24);
	}
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 1099511628211ULL; }
	return h;
}

/* The bytes the memfd must hold at kexec time: seed stream + patched tail. */
static unsigned char *expected_data(void)
{
	unsigned char *d = malloc(DATA_SIZE);
	if (!d) { perror("malloc"); exit(1); }
	fill(d, DATA_SIZE, DATA_SEED);
	fill(d + PATCH_OFF, 4096, PATCH_SEED);
	return d;
}

static int create_session(int dev, const char *name, int *err)
{
	struct lu_session s = { .size = sizeof(s), .fd = -1 };
	strncpy(s.name, name, sizeof(s.name) - 1);
	*err = xioctl(dev, LU_CREATE_SESSION, &s);
	return *err ? -1 : s.fd;
}

static int retrieve_session(int dev, const char *name, int *err)
{
	struct lu_session s = { .size = sizeof(s), .fd = -1 };
	strncpy(s.name, name, sizeof(s.name) - 1);
	*err = xioctl(dev, LU_RETRIEVE_SESSION, &s);
	return *err ? -1 : s.fd;
}

static int preserve(int sess, int fd, uint64_t token)
{
	struct lu_fd a = { .size = sizeof(a), .fd = fd, .token = token };
	return xioctl(sess, LU_PRESERVE_FD, &a);
}

static int retrieve_fd(int sess, uint64_t token, int *err)
{
	struct lu_fd a = { .size = sizeof(a), .fd = -1, .token = token };
	*err = xioctl(sess, LU_RETRIEVE_FD, &a);
	return *err ? -1 : a.fd;
}

static int finish(int sess)
{
	struct lu_finish f = { .size = sizeof(f) };
	return xioctl(sess, LU_FINISH, &f);
}

static int get_name(int sess, char *out)
{
	struct lu_get_name g = { .size = sizeof(g) };
	int e = xioctl(sess, LU_GET_NAME, &g);
	if (!e)
		memcpy(out, g.name, sizeof(g.name));
	return e;
}

static void read_small(const char *path, char *buf, size_t n)
{
	buf[0] = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0) r = 0;
	buf[r] = 0;
	char *nl = strchr(buf, '\n');
	if (nl) *nl = 0;
}

static int cmdline_value(const char *key, char *out, size_t n)
{
	char cl[4096];
	read_small("/proc/cmdline", cl, sizeof(cl));
	size_t kl = strlen(key);
	for (char *p = cl; (p = strstr(p, key)); p++) {
		if ((p == cl || p[-1] == ' ') && p[kl] == '=') {
			p += kl + 1;
			size_t i = 0;
			while (p[i] && p[i] != ' ' && i + 1 < n) { out[i] = p[i]; i++; }
			out[i] = 0;
			return 1;
		}
	}
	return 0;
}

static int open_dev(int *err)
{
	int fd = open("/dev/liveupdate", O_RDWR | O_CLOEXEC);
	*err = fd < 0 ? errno : 0;
	return fd;
}

static int copy_to_tmp(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out;
	if (in < 0) return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) { close(in); return -1; }
	char buf[65536];
	ssize_t r;
	while ((r = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, r) != r) { r = -1; break; }
	close(in);
	close(out);
	return r < 0 ? -1 : 0;
}

static long kexec_load_paths(const char *kpath, const char *ipath, const char *cl, int *err)
{
	int kfd = open(kpath, O_RDONLY | O_CLOEXEC);
	int ifd = open(ipath, O_RDONLY | O_CLOEXEC);
	if (kfd < 0 || ifd < 0) {
		*err = errno;
		if (kfd >= 0) close(kfd);
		if (ifd >= 0) close(ifd);
		return -1;
	}
	long r = syscall(__NR_kexec_file_load, kfd, ifd, strlen(cl) + 1, cl, 0UL);
	*err = r ? errno : 0;
	close(kfd);
	close(ifd);
	return r;
}

static int stage1(const char *kpath, const char *ipath, const char *cmdline_in)
{
	double t0 = now_mono();
	int e, e2;
	char boot_id[64];
	read_small("/proc/sys/kernel/random/boot_id", boot_id, sizeof(boot_id));
	say("stage1 start boot_id=%s", boot_id);

	int dev = open_dev(&e);
	check("open /dev/liveupdate", dev >= 0, "errno %s", ename(e));
	if (dev < 0)
		return 1;
	int dev2 = open_dev(&e2);
	expect_errno("second open is exclusive", dev2 >= 0 ? 0 : e2, EBUSY);
	if (dev2 >= 0) close(dev2);

	/* Generation probe: 0xBA00 with size 8 is GET_STATE in A, an undersized
	 * CREATE_SESSION in B. */
	struct { uint32_t size, state; } probe = { 8, 0 };
	expect_errno("probe 0xBA00 size=8 (generation B)", xioctl(dev, 0xBA00, &probe), EINVAL);

	/* Dispatch rules on a known generation-B device (safe to try here). */
	struct lu_session s = { .size = sizeof(s) };
	strcpy(s.name, "dispatch");
	expect_errno("nr 0x02 outside the device table", xioctl(dev, 0xBA02, &s), EINVAL);
	expect_errno("NULL argument", xioctl(dev, LU_CREATE_SESSION, NULL), EFAULT);
	expect_errno("_IOWR encoding of CREATE_SESSION",
		     xioctl(dev, _IOWR(0xBA, 0x00, struct lu_session), &s), ENOTTY);
	struct { struct lu_session s; uint64_t extra; } big = { .s = { .size = 80 }, .extra = 1 };
	strcpy(big.s.name, "dispatch");
	expect_errno("size 80 with non-zero tail", xioctl(dev, LU_CREATE_SESSION, &big), E2BIG);
	struct lu_session empty = { .size = sizeof(empty) };
	expect_errno("CREATE_SESSION empty name", xioctl(dev, LU_CREATE_SESSION, &empty), EINVAL);

	retrieve_session(dev, "smoke", &e);
	expect_errno("RETRIEVE_SESSION after cold boot", e, ENOENT);

	int sess = create_session(dev, "smoke", &e);
	check("CREATE_SESSION smoke", sess >= 0, "errno %s fd %d", ename(e), sess);
	if (sess < 0)
		return 1;
	create_session(dev, "smoke", &e);
	expect_errno("CREATE_SESSION duplicate name", e, EEXIST);

	char nm[64] = "";
	e = get_name(sess, nm);
	check("GET_NAME on outgoing session", e == 0 && !strcmp(nm, "smoke"),
	      "errno %s name '%s'", ename(e), nm);

	/* A session closed before kexec must not reach the next kernel. */
	int closed = create_session(dev, "smoke-closed", &e);
	check("CREATE_SESSION smoke-closed", closed >= 0, "errno %s", ename(e));
	int tmpmfd = memfd_create("closed-data", 0);
	if (closed >= 0 && tmpmfd >= 0 && ftruncate(tmpmfd, 4096) == 0)
		check("PRESERVE_FD into smoke-closed", preserve(closed, tmpmfd, 7) == 0, "");
	if (closed >= 0) close(closed);
	if (tmpmfd >= 0) close(tmpmfd);
	/* An empty session kept open: retrieved and closed (implicit finish). */
	int keep_empty = create_session(dev, "smoke-empty", &e);
	check("CREATE_SESSION smoke-empty", keep_empty >= 0, "errno %s", ename(e));

	/* The data: 1 MiB pseudo-random, sealed against shrinking, pos 12345. */
	unsigned char *d = malloc(DATA_SIZE);
	fill(d, DATA_SIZE, DATA_SEED);
	int mfd = memfd_create("smoke-data", MFD_ALLOW_SEALING);
	check("memfd_create", mfd >= 0, "errno %s", mfd >= 0 ? "0" : ename(errno));
	if (mfd < 0)
		return 1;
	check("write 1 MiB", write(mfd, d, DATA_SIZE) == DATA_SIZE, "");
	int sr = fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK);
	check("F_ADD_SEALS F_SEAL_SHRINK", sr == 0, "errno %s", sr == 0 ? "0" : ename(errno));
	check("lseek to 12345", lseek(mfd, DATA_POS, SEEK_SET) == DATA_POS, "");

	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	expect_errno("PRESERVE_FD /dev/null", preserve(sess, devnull, 99), ENOENT);
	close(devnull);
	expect_errno("PRESERVE_FD bad fd", preserve(sess, 987, 98), EBADF);

	double tp = now_mono();
	e = preserve(sess, mfd, 1);
	double tp_ms = (now_mono() - tp) * 1e3;
	check("PRESERVE_FD memfd token 1", e == 0, "errno %s, %.2f ms", ename(e), tp_ms);
	if (e)
		return 1;
	expect_errno("PRESERVE_FD token 1 again", preserve(sess, mfd, 1), EEXIST);
	expect_errno("PRESERVE_FD same memfd as token 2", preserve(sess, mfd, 2), EBUSY);
	retrieve_fd(sess, 1, &e);
	expect_errno("RETRIEVE_FD on an outgoing session", e, EINVAL);
	expect_errno("FINISH on an outgoing session", finish(sess), EINVAL);

	/* After PRESERVE_FD the memfd's size is frozen; in-place writes are fine. */
	errno = 0;
	int tr = ftruncate(mfd, DATA_SIZE + 4096);
	expect_errno("ftruncate grow after PRESERVE_FD", tr ? errno : 0, EPERM);
	unsigned char patch[4096];
	fill(patch, sizeof(patch), PATCH_SEED);
	ssize_t pw = pwrite(mfd, patch, sizeof(patch), PATCH_OFF);
	check("in-place pwrite after PRESERVE_FD", pw == (ssize_t)sizeof(patch),
	      "ret %zd errno %s", pw, pw < 0 ? ename(errno) : "0");
	pw = pwrite(mfd, patch, 16, DATA_SIZE);
	expect_errno("pwrite past EOF after PRESERVE_FD", pw < 0 ? errno : 0, EPERM);
	check("position still 12345", lseek(mfd, 0, SEEK_CUR) == DATA_POS, "");
	free(d);
	d = expected_data();
	uint64_t sum = fnv1a(d, DATA_SIZE);
	free(d);
	say("data fnv1a64=%016" PRIx64 " size=%u pos=%d", sum, DATA_SIZE, DATA_POS);

	if (failures) {
		say("FAIL stage1: %d check(s) failed before kexec", failures);
		return 1;
	}

	/* Stage-2 command line: the caller's plus what stage 2 verifies. */
	char cl[3072];
	snprintf(cl, sizeof(cl), "%s lu.prev_boot_id=%s lu.sum=%016" PRIx64,
		 cmdline_in, boot_id, sum);
	double tk = now_mono();
	long r = kexec_load_paths(kpath, ipath, cl, &e);
	const char *how = "directly from the given paths";
	if (r) {
		say("kexec_file_load from %s/%s failed: %s; retrying from tmpfs copies",
		    kpath, ipath, ename(e));
		if (copy_to_tmp(kpath, "/tmp/kexec-bzImage") || copy_to_tmp(ipath, "/tmp/kexec-initrd")) {
			check("copy kexec images to /tmp", 0, "errno %s", ename(errno));
			return 1;
		}
		r = kexec_load_paths("/tmp/kexec-bzImage", "/tmp/kexec-initrd", cl, &e);
		how = "from tmpfs copies";
	}
	check("kexec_file_load", r == 0, "errno %s, %s, %.0f ms", ename(e), how,
	      (now_mono() - tk) * 1e3);
	if (r)
		return 1;
	say("stage2 cmdline: %s", cl);
	sync();
	say("stage1 done in %.0f ms; reboot(LINUX_REBOOT_CMD_KEXEC) at realtime %.3f",
	    (now_mono() - t0) * 1e3, now_real());
	/* dev, sess, keep_empty and mfd stay open: that keeps the sessions alive. */
	reboot(LINUX_REBOOT_CMD_KEXEC_);
	e = errno;
	check("reboot(KEXEC) does not return", 0, "errno %s", ename(e));
	(void)keep_empty;
	return 1;
}

static int stage2(void)
{
	double t0 = now_mono();
	int e;
	char boot_id[64], prev[64] = "", sumhex[32] = "";
	read_small("/proc/sys/kernel/random/boot_id", boot_id, sizeof(boot_id));
	cmdline_value("lu.prev_boot_id", prev, sizeof(prev));
	cmdline_value("lu.sum", sumhex, sizeof(sumhex));
	say("stage2 start boot_id=%s previous=%s", boot_id, prev);
	check("boot_id changed", prev[0] && strcmp(prev, boot_id) != 0, "%s -> %s", prev, boot_id);

	int dev = open_dev(&e);
	check("open /dev/liveupdate after kexec", dev >= 0, "errno %s", ename(e));
	if (dev < 0)
		return 1;

	double tr = now_mono();
	int sess = retrieve_session(dev, "smoke", &e);
	check("RETRIEVE_SESSION smoke", sess >= 0, "errno %s, %.2f ms", ename(e),
	      (now_mono() - tr) * 1e3);
	if (sess < 0)
		return 1;
	retrieve_session(dev, "smoke", &e);
	expect_errno("RETRIEVE_SESSION smoke twice", e, EINVAL);
	retrieve_session(dev, "smoke-closed", &e);
	expect_errno("RETRIEVE_SESSION of a session closed before kexec", e, ENOENT);
	retrieve_session(dev, "no-such-session", &e);
	expect_errno("RETRIEVE_SESSION unknown name", e, ENOENT);

	char nm[64] = "";
	e = get_name(sess, nm);
	check("GET_NAME on incoming session", e == 0 && !strcmp(nm, "smoke"),
	      "errno %s name '%s'", ename(e), nm);

	int other = memfd_create("x", 0);
	expect_errno("PRESERVE_FD on an incoming session", preserve(sess, other, 5), EINVAL);
	close(other);
	retrieve_fd(sess, 99, &e);
	expect_errno("RETRIEVE_FD unknown token", e, ENOENT);

	double tf = now_mono();
	int mfd = retrieve_fd(sess, 1, &e);
	check("RETRIEVE_FD token 1", mfd >= 0, "errno %s, %.2f ms", ename(e),
	      (now_mono() - tf) * 1e3);
	if (mfd < 0)
		return 1;
	int fdflags = fcntl(mfd, F_GETFD);
	say("retrieved fd FD_CLOEXEC=%d", fdflags >= 0 ? !!(fdflags & FD_CLOEXEC) : -1);
	struct stat st, st2;
	fstat(mfd, &st);
	check("size survived", st.st_size == DATA_SIZE, "size %lld", (long long)st.st_size);
	off_t pos = lseek(mfd, 0, SEEK_CUR);
	check("file position survived", pos == DATA_POS, "pos %lld", (long long)pos);
	int seals = fcntl(mfd, F_GET_SEALS);
	say("seals after retrieve: 0x%x (before kexec: F_SEAL_SHRINK=0x%x)", seals, F_SEAL_SHRINK);
	char link[128] = "", p[64];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", mfd);
	ssize_t ll = readlink(p, link, sizeof(link) - 1);
	if (ll > 0) link[ll] = 0;
	say("retrieved fd is %s", link);

	unsigned char *got = malloc(DATA_SIZE), *want = expected_data();
	ssize_t rd = pread(mfd, got, DATA_SIZE, 0);
	size_t bad = 0, first_bad = 0;
	for (size_t i = 0; rd == DATA_SIZE && i < DATA_SIZE; i++)
		if (got[i] != want[i]) { if (!bad) first_bad = i; bad++; }
	uint64_t sum = rd == DATA_SIZE ? fnv1a(got, DATA_SIZE) : 0;
	char sumnow[32];
	snprintf(sumnow, sizeof(sumnow), "%016" PRIx64, sum);
	check("1 MiB contents intact", rd == DATA_SIZE && bad == 0 && !strcmp(sumnow, sumhex),
	      "read %zd, %zu bad bytes (first at %zu), fnv1a64 %s, stage1 said %s",
	      rd, bad, first_bad, sumnow, sumhex);

	int mfd2 = retrieve_fd(sess, 1, &e);
	fstat(mfd2, &st2);
	check("RETRIEVE_FD token 1 again gives the same file", mfd2 >= 0 && mfd2 != mfd &&
	      st2.st_ino == st.st_ino, "errno %s fd %d", ename(e), mfd2);
	if (mfd2 >= 0) close(mfd2);

	errno = 0;
	int t = ftruncate(mfd, DATA_SIZE + 4096);
	say("ftruncate grow before FINISH: %s", t ? ename(errno) : "0");
	if (!t) ftruncate(mfd, DATA_SIZE);

	double tfin = now_mono();
	e = finish(sess);
	check("FINISH smoke", e == 0, "errno %s, %.2f ms", ename(e), (now_mono() - tfin) * 1e3);
	errno = 0;
	t = ftruncate(mfd, DATA_SIZE + 4096);
	say("ftruncate grow after FINISH: %s", t ? ename(errno) : "0");
	rd = pread(mfd, got, 4096, PATCH_OFF);
	check("memfd still readable after FINISH", rd == 4096 && !memcmp(got, want + PATCH_OFF, 4096),
	      "read %zd", rd);
	e = finish(sess);
	say("FINISH smoke again: %s", ename(e));

	/* Implicit finish by close. */
	int empty = retrieve_session(dev, "smoke-empty", &e);
	check("RETRIEVE_SESSION smoke-empty", empty >= 0, "errno %s", ename(e));
	if (empty >= 0)
		check("close retrieved session (implicit finish)", close(empty) == 0, "");

	/* Outgoing sessions may reuse an incoming name. */
	int again = create_session(dev, "smoke", &e);
	check("CREATE_SESSION smoke in the new kernel", again >= 0, "errno %s", ename(e));
	if (again >= 0) close(again);
	close(sess);
	close(mfd);
	close(dev);

	char up[64];
	read_small("/proc/uptime", up, sizeof(up));
	if (failures) {
		say("FAIL stage2: %d check(s) failed", failures);
		return 1;
	}
	say("PASS live update: 1 MiB memfd survived kexec; stage2 checks took %.1f ms, new kernel uptime %s s at the end",
	    (now_mono() - t0) * 1e3, strtok(up, " "));
	return 0;
}

/* Probe the session and per-session file limits (one boot, no kexec). */
static int limits(int max_sessions, int max_files)
{
	struct rlimit rl = { 65536, 65536 };
	setrlimit(RLIMIT_NOFILE, &rl);
	int e = 0, n, dev = open_dev(&e);
	check("open /dev/liveupdate", dev >= 0, "errno %s", ename(e));
	if (dev < 0)
		return 1;
	int *fds = calloc(max_sessions + max_files, sizeof(int));
	char name[64];
	double t = now_mono();
	for (n = 0; n < max_sessions; n++) {
		snprintf(name, sizeof(name), "limit-%d", n);
		fds[n] = create_session(dev, name, &e);
		if (fds[n] < 0)
			break;
	}
	say("LIMIT sessions: created %d, then %s (tried up to %d, %.0f ms)", n,
	    n < max_sessions ? ename(e) : "no error", max_sessions, (now_mono() - t) * 1e3);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	int sess = create_session(dev, "limit-files", &e);
	check("CREATE_SESSION after closing all", sess >= 0, "errno %s", ename(e));
	if (sess < 0)
		return 1;
	t = now_mono();
	for (n = 0; n < max_files; n++) {
		int m = memfd_create("limit", 0);
		if (m < 0 || ftruncate(m, 4096)) { e = errno; break; }
		fds[n] = m;
		e = preserve(sess, m, 1000 + n);
		if (e) { close(m); break; }
	}
	say("LIMIT files in one session: preserved %d, then %s (tried up to %d, %.0f ms)", n,
	    n < max_files ? ename(e) : "no error", max_files, (now_mono() - t) * 1e3);
	close(sess);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	close(dev);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "stage1"))
		return stage1(argv[2], argv[3], argv[4]);
	if (argc == 2 && !strcmp(argv[1], "stage2"))
		return stage2();
	if (argc == 4 && !strcmp(argv[1], "limits"))
		return limits(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: %s stage1 <bzImage> <initrd> <stage-2 cmdline> | stage2 |"
		" limits <max-sessions> <max-files>\n", argv[0]);
	return 2;
}
