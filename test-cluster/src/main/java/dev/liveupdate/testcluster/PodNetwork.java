package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real node's pod network: one bridge (its own name, so nothing else on the host is touched), host-local
 * addresses kept in the work directory, masquerade for traffic leaving the node. Pods reach the API server on the
 * host's address through the {@code kubernetes} Service (kube-proxy).
 */
record PodNetwork(Path confDir, Path ipamDir, String bridge, String subnet) {
    static final String NAME = "liveupdate-node";

    static PodNetwork write(Path dir) {
        PodNetwork n = new PodNetwork(dir.resolve("net.d"), dir.resolve("ipam"), "lu-cni0", "10.244.0.0/24");
        try {
            Files.createDirectories(n.confDir);
            Files.createDirectories(n.ipamDir);
            Files.writeString(n.confDir.resolve("10-liveupdate.conflist"), """
                    {
                      "cniVersion": "1.0.0",
                      "name": "%s",
                      "plugins": [
                        {
                          "type": "bridge",
                          "bridge": "%s",
                          "isGateway": true,
                          "ipMasq": true,
                          "hairpinMode": true,
                          "ipam": {
                            "type": "host-local",
                            "dataDir": "%s",
                            "ranges": [[{"subnet": "%s"}]],
                            "routes": [{"dst": "0.0.0.0/0"}]
                          }
                        },
                        {"type": "portmap", "capabilities": {"portMappings": true}}
                      ]
                    }
                    """.formatted(NAME, n.bridge, n.ipamDir, n.subnet));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /** Removes the bridge the plugin created (its veths went with the pods' network namespaces). */
    void removeBridge() {
        HostCommand.run(java.util.List.of(NodePrerequisites.onPath("ip").toString(), "link", "delete", bridge));
    }
}
