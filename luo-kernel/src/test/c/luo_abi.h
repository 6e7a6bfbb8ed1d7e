/*
 * /dev/liveupdate ABI, both generations, written by this project from
 * docs/luo-kernel-abi.md (no kernel headers are included). AbiLayoutTest
 * compiles luo_layout.c against it and compares every size, offset and
 * request number with the JNA structures and Java constants.
 */
#ifndef LUO_ABI_H
#define LUO_ABI_H

#include <stdint.h>

/* _IOC(dir, type, nr, size) as in asm-generic/ioctl.h (x86-64, arm64, riscv). */
#define LUO_IOC_NRSHIFT   0
#define LUO_IOC_TYPESHIFT 8
#define LUO_IOC_SIZESHIFT 16
#define LUO_IOC_DIRSHIFT  30
#define LUO_IOC(dir, type, nr, size) \
	(((uint32_t)(dir) << LUO_IOC_DIRSHIFT) | ((uint32_t)(type) << LUO_IOC_TYPESHIFT) | \
	 ((uint32_t)(nr) << LUO_IOC_NRSHIFT) | ((uint32_t)(size) << LUO_IOC_SIZESHIFT))
#define LUO_IO(type, nr) LUO_IOC(0, type, nr, 0)

#define LUO_IOCTL_TYPE 0xBA

/* ---- Generation A (v4 series) ---- */

enum luo_a_state {
	LUO_A_STATE_UNDEFINED = 0,
	LUO_A_STATE_NORMAL = 1,
	LUO_A_STATE_PREPARED = 2,
	LUO_A_STATE_FROZEN = 3,
	LUO_A_STATE_UPDATED = 4,
};

enum luo_a_event {
	LUO_A_PREPARE = 0,
	LUO_A_FREEZE = 1,
	LUO_A_FINISH = 2,
	LUO_A_CANCEL = 3,
};

#define LUO_A_SESSION_NAME_LENGTH 56

struct luo_a_get_state {
	uint32_t size;
	uint32_t state;
};

struct luo_a_set_event {
	uint32_t size;
	uint32_t event;
};

struct luo_a_create_session {
	uint32_t size;
	int32_t fd;
	uint8_t name[LUO_A_SESSION_NAME_LENGTH];
};

struct luo_a_retrieve_session {
	uint32_t size;
	int32_t fd;
	uint8_t name[64];
};

struct luo_a_preserve_fd {
	uint32_t size;
	int32_t fd;
	uint64_t token __attribute__((aligned(8)));
};

struct luo_a_unpreserve_fd {
	uint32_t size;
	uint32_t reserved;
	uint64_t token __attribute__((aligned(8)));
};

struct luo_a_restore_fd {
	uint32_t size;
	int32_t fd;
	uint64_t token __attribute__((aligned(8)));
};

struct luo_a_session_get_state {
	uint32_t size;
	uint8_t incoming;
	uint8_t reserved[3];
	uint32_t state;
};

struct luo_a_session_set_event {
	uint32_t size;
	uint32_t event;
};

#define LUO_A_GET_STATE         LUO_IO(LUO_IOCTL_TYPE, 0x00)
#define LUO_A_SET_EVENT         LUO_IO(LUO_IOCTL_TYPE, 0x01)
#define LUO_A_CREATE_SESSION    LUO_IO(LUO_IOCTL_TYPE, 0x02)
#define LUO_A_RETRIEVE_SESSION  LUO_IO(LUO_IOCTL_TYPE, 0x03)
#define LUO_A_PRESERVE_FD       LUO_IO(LUO_IOCTL_TYPE, 0x40)
#define LUO_A_UNPRESERVE_FD     LUO_IO(LUO_IOCTL_TYPE, 0x41)
#define LUO_A_RESTORE_FD        LUO_IO(LUO_IOCTL_TYPE, 0x42)
#define LUO_A_SESSION_GET_STATE LUO_IO(LUO_IOCTL_TYPE, 0x43)
#define LUO_A_SESSION_SET_EVENT LUO_IO(LUO_IOCTL_TYPE, 0x44)

/* ---- Generation B (mainline 6.19, 7.x) ---- */

#define LUO_B_SESSION_NAME_LENGTH 64
#define LUO_B_MAX_FILES_PER_SESSION 128

struct luo_b_create_session {
	uint32_t size;
	int32_t fd;
	uint8_t name[LUO_B_SESSION_NAME_LENGTH];
};

struct luo_b_retrieve_session {
	uint32_t size;
	int32_t fd;
	uint8_t name[LUO_B_SESSION_NAME_LENGTH];
};

struct luo_b_preserve_fd {
	uint32_t size;
	int32_t fd;
	uint64_t token __attribute__((aligned(8)));
};

struct luo_b_retrieve_fd {
	uint32_t size;
	int32_t fd;
	uint64_t token __attribute__((aligned(8)));
};

struct luo_b_finish {
	uint32_t size;
	uint32_t reserved;
};

struct luo_b_get_name {
	uint32_t size;
	uint32_t reserved;
	uint8_t name[LUO_B_SESSION_NAME_LENGTH];
};

#define LUO_B_CREATE_SESSION   LUO_IO(LUO_IOCTL_TYPE, 0x00)
#define LUO_B_RETRIEVE_SESSION LUO_IO(LUO_IOCTL_TYPE, 0x01)
#define LUO_B_PRESERVE_FD      LUO_IO(LUO_IOCTL_TYPE, 0x40)
#define LUO_B_RETRIEVE_FD      LUO_IO(LUO_IOCTL_TYPE, 0x41)
#define LUO_B_FINISH           LUO_IO(LUO_IOCTL_TYPE, 0x42)
#define LUO_B_GET_NAME         LUO_IO(LUO_IOCTL_TYPE, 0x43)

#endif /* LUO_ABI_H */
