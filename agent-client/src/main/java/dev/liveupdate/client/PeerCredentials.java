package dev.liveupdate.client;

import java.io.IOException;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * The process on the other end of a connected Unix socket, as the kernel says (SO_PEERCRED, the same call the agent
 * makes about its clients in WorkloadConnection): taken by the kernel when the server called listen(), not claimed by it.
 */
record PeerCredentials(long uid, long pid) {
    /** How the credentials are read: the kernel's, or a test's. */
    @FunctionalInterface
    interface Reader {
        PeerCredentials read(AFUNIXSocket socket) throws IOException;
    }

    static final Reader KERNEL = socket -> {
        AFUNIXSocketCredentials c = socket.getPeerCredentials();
        if (c == null || c.getUid() < 0) {
            throw new IOException("cannot read the peer credentials (SO_PEERCRED) of the agent socket");
        }
        return new PeerCredentials(c.getUid(), c.getPid());
    };
}
