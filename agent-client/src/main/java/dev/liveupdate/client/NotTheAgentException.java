package dev.liveupdate.client;

import java.io.IOException;

/** The socket is served by a process that is not the agent (by its uid): the client sent nothing and closed it. */
public final class NotTheAgentException extends IOException {
    public NotTheAgentException(String message) {
        super(message);
    }
}
