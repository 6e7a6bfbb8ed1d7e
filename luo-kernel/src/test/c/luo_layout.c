/* Prints the layout of luo_abi.h as "kind name value" lines for AbiLayoutTest. */
#include <stddef.h>
#include <stdio.h>
#include "luo_abi.h"

#define SIZE(s) printf("size %s %zu\n", #s, sizeof(struct s))
#define FIELD(s, f) printf("offset %s.%s %zu\n", #s, #f, offsetof(struct s, f))
#define FIELD_SIZE(s, f) printf("fieldsize %s.%s %zu\n", #s, #f, sizeof(((struct s *)0)->f))
#define REQUEST(r) printf("request %s %u\n", #r, (unsigned)(r))
#define CONST(c) printf("const %s %d\n", #c, (int)(c))

int main(void)
{
	SIZE(luo_a_get_state); FIELD(luo_a_get_state, size); FIELD(luo_a_get_state, state);
	SIZE(luo_a_set_event); FIELD(luo_a_set_event, size); FIELD(luo_a_set_event, event);
	SIZE(luo_a_create_session); FIELD(luo_a_create_session, size); FIELD(luo_a_create_session, fd);
	FIELD(luo_a_create_session, name); FIELD_SIZE(luo_a_create_session, name);
	SIZE(luo_a_retrieve_session); FIELD(luo_a_retrieve_session, size); FIELD(luo_a_retrieve_session, fd);
	FIELD(luo_a_retrieve_session, name); FIELD_SIZE(luo_a_retrieve_session, name);
	SIZE(luo_a_preserve_fd); FIELD(luo_a_preserve_fd, size); FIELD(luo_a_preserve_fd, fd); FIELD(luo_a_preserve_fd, token);
	SIZE(luo_a_unpreserve_fd); FIELD(luo_a_unpreserve_fd, size); FIELD(luo_a_unpreserve_fd, reserved);
	FIELD(luo_a_unpreserve_fd, token);
	SIZE(luo_a_restore_fd); FIELD(luo_a_restore_fd, size); FIELD(luo_a_restore_fd, fd); FIELD(luo_a_restore_fd, token);
	SIZE(luo_a_session_get_state); FIELD(luo_a_session_get_state, size); FIELD(luo_a_session_get_state, incoming);
	FIELD(luo_a_session_get_state, reserved); FIELD_SIZE(luo_a_session_get_state, reserved);
	FIELD(luo_a_session_get_state, state);
	SIZE(luo_a_session_set_event); FIELD(luo_a_session_set_event, size); FIELD(luo_a_session_set_event, event);

	SIZE(luo_b_create_session); FIELD(luo_b_create_session, size); FIELD(luo_b_create_session, fd);
	FIELD(luo_b_create_session, name); FIELD_SIZE(luo_b_create_session, name);
	SIZE(luo_b_retrieve_session); FIELD(luo_b_retrieve_session, size); FIELD(luo_b_retrieve_session, fd);
	FIELD(luo_b_retrieve_session, name); FIELD_SIZE(luo_b_retrieve_session, name);
	SIZE(luo_b_preserve_fd); FIELD(luo_b_preserve_fd, size); FIELD(luo_b_preserve_fd, fd); FIELD(luo_b_preserve_fd, token);
	SIZE(luo_b_retrieve_fd); FIELD(luo_b_retrieve_fd, size); FIELD(luo_b_retrieve_fd, fd); FIELD(luo_b_retrieve_fd, token);
	SIZE(luo_b_finish); FIELD(luo_b_finish, size); FIELD(luo_b_finish, reserved);
	SIZE(luo_b_get_name); FIELD(luo_b_get_name, size); FIELD(luo_b_get_name, reserved);
	FIELD(luo_b_get_name, name); FIELD_SIZE(luo_b_get_name, name);

	REQUEST(LUO_A_GET_STATE); REQUEST(LUO_A_SET_EVENT); REQUEST(LUO_A_CREATE_SESSION);
	REQUEST(LUO_A_RETRIEVE_SESSION); REQUEST(LUO_A_PRESERVE_FD); REQUEST(LUO_A_UNPRESERVE_FD);
	REQUEST(LUO_A_RESTORE_FD); REQUEST(LUO_A_SESSION_GET_STATE); REQUEST(LUO_A_SESSION_SET_EVENT);
	REQUEST(LUO_B_CREATE_SESSION); REQUEST(LUO_B_RETRIEVE_SESSION); REQUEST(LUO_B_PRESERVE_FD);
	REQUEST(LUO_B_RETRIEVE_FD); REQUEST(LUO_B_FINISH); REQUEST(LUO_B_GET_NAME);

	CONST(LUO_A_STATE_UNDEFINED); CONST(LUO_A_STATE_NORMAL); CONST(LUO_A_STATE_PREPARED);
	CONST(LUO_A_STATE_FROZEN); CONST(LUO_A_STATE_UPDATED);
	CONST(LUO_A_PREPARE); CONST(LUO_A_FREEZE); CONST(LUO_A_FINISH); CONST(LUO_A_CANCEL);
	CONST(LUO_A_SESSION_NAME_LENGTH); CONST(LUO_B_SESSION_NAME_LENGTH); CONST(LUO_B_MAX_FILES_PER_SESSION);
	return 0;
}
