package dev.liveupdate.agent.k8s;

import dev.liveupdate.agent.engine.EventSink;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * Kubernetes Events on the node's LiveUpdateNode, in "default": the API server accepts Events about a cluster-scoped
 * object only there (or with no namespace), so the chart grants the agent events in that one namespace. A repeat of the same
 * event (type, reason, message) within {@link EventAggregation#WINDOW} raises the count of the stored Event instead
 * of creating another, as the kubelet's recorder does, so an agent stuck in a retry loop writes one object, not
 * thousands. Best effort, off the engine thread.
 */
public final class KubeEvents implements EventSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KubeEvents.class.getName());
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private final KubernetesClient client;
    private final String nodeName;
    /** Where the API server requires Events about cluster-scoped objects (core/v1 event validation). */
    static final String NAMESPACE = "default";
    private final Clock clock;
    /** Touched on the sender thread only. */
    private final EventAggregation aggregation = new EventAggregation();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "event-sender");
        t.setDaemon(true);
        return t;
    });
    private volatile String uid;

    public KubeEvents(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    public void setObjectUid(String uid) {
        this.uid = uid;
    }

    @Override
    public void event(boolean warning, String reason, String message) {
        String text = message.length() > 1000 ? message.substring(0, 1000) : message;
        sender.execute(() -> send(warning ? "Warning" : "Normal", reason, text));
    }

    private void send(String type, String reason, String message) {
        Instant now = clock.instant();
        EventAggregation.Seen seen = aggregation.record(type + "\u0000" + reason + "\u0000" + message, now);
        String stamp = DateTimeFormatter.ISO_INSTANT.format(now);
        try {
            if (seen.count() > 1) {
                try {
                    client.v1().events().inNamespace(NAMESPACE).withName(seen.name()).patch(MERGE,
                            "{\"count\":" + seen.count() + ",\"lastTimestamp\":\"" + stamp + "\"}");
                    return;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                    seen = aggregation.restart(type + "\u0000" + reason + "\u0000" + message, now); // expired meanwhile
                }
            }
            client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder()
                    .withNewMetadata().withName(seen.name()).withNamespace(NAMESPACE).endMetadata()
                    .withNewInvolvedObject().withApiVersion(dev.liveupdate.api.v1alpha1.LiveUpdate.GROUP + "/"
                            + dev.liveupdate.api.v1alpha1.LiveUpdate.VERSION).withKind("LiveUpdateNode")
                    .withName(nodeName).withUid(uid).endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message)
                    .withFirstTimestamp(stamp).withLastTimestamp(stamp).withCount(1)
                    .withNewSource().withComponent("liveupdate-agent").withHost(nodeName).endSource()
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.fine(() -> "could not record event " + reason + ": " + e.getMessage());
        }
    }

    /** A fresh Event name for this node: the node name and a random suffix, as the kubelet names its events. */
    static String newName(String nodeName) {
        return nodeName + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    @Override
    public void close() {
        sender.shutdown();
    }

    /** Which events were sent recently, by content: bounded, oldest forgotten first. */
    final class EventAggregation {
        static final java.time.Duration WINDOW = java.time.Duration.ofMinutes(10);
        static final int MAX_KEYS = 64;

        record Seen(String name, int count, Instant first) {
        }

        private final java.util.LinkedHashMap<String, Seen> recent = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, Seen> eldest) {
                return size() > MAX_KEYS;
            }
        };

        Seen record(String key, Instant now) {
            Seen previous = recent.get(key);
            Seen seen = previous == null || now.isAfter(previous.first().plus(WINDOW))
                    ? new Seen(newName(nodeName), 1, now)
                    : new Seen(previous.name(), previous.count() + 1, previous.first());
            recent.put(key, seen);
            return seen;
        }

        Seen restart(String key, Instant now) {
            Seen seen = new Seen(newName(nodeName), 1, now);
            recent.put(key, seen);
            return seen;
        }
    }
}
