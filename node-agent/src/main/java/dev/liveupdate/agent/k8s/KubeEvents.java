package dev.liveupdate.agent.k8s;

import dev.liveupdate.agent.engine.EventSink;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/** Kubernetes Events on the node's LiveUpdateNode (in "default": events of cluster-scoped objects live there). Best effort, off the engine thread. */
public final class KubeEvents implements EventSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KubeEvents.class.getName());
    private static final String NAMESPACE = "default";

    private final KubernetesClient client;
    private final String nodeName;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "event-sender");
        t.setDaemon(true);
        return t;
    });
    private volatile String uid;

    public KubeEvents(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    public void setObjectUid(String uid) {
        this.uid = uid;
    }

    @Override
    public void event(boolean warning, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
        sender.execute(() -> {
            try {
                client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder()
                        .withNewMetadata().withName(nodeName + "." + UUID.randomUUID().toString().substring(0, 8)).withNamespace(NAMESPACE).endMetadata()
                        .withNewInvolvedObject().withApiVersion(dev.liveupdate.api.v1alpha1.LiveUpdate.GROUP + "/" + dev.liveupdate.api.v1alpha1.LiveUpdate.VERSION).withKind("LiveUpdateNode").withName(nodeName).withUid(uid).endInvolvedObject()
                        .withType(warning ? "Warning" : "Normal").withReason(reason)
                        .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                        .withNewSource().withComponent("liveupdate-agent").withHost(nodeName).endSource()
                        .build()).create();
            } catch (RuntimeException e) {
                LOG.fine(() -> "could not record event " + reason + ": " + e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        sender.shutdown();
    }
}
