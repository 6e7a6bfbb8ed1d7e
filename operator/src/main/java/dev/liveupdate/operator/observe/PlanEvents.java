package dev.liveupdate.operator.observe;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.operator.OperatorConfig;
import dev.liveupdate.operator.planning.PlanEvent;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Posts core/v1 Events about a plan (or a LiveUpdateNode, an agent pod). LiveUpdates are cluster-scoped, so their events go to one configured namespace
 * (default "default", where kubectl describe looks for cluster-scoped objects). A pass retried after a lost race
 * says the same things again; {@link EventSeries} drops those repeats and turns later ones into a count on one
 * Event. Best effort: a lost event never fails a reconcile.
 */
@ApplicationScoped
public class PlanEvents {
    private static final Logger LOG = Logger.getLogger(PlanEvents.class);
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private final KubernetesClient client;
    private final OperatorConfig config;
    private final EventSeries series = new EventSeries();
    private final Clock clock;

    @Inject
    public PlanEvents(KubernetesClient client, OperatorConfig config) {
        this(client, config, Clock.systemUTC());
    }

    PlanEvents(KubernetesClient client, OperatorConfig config, Clock clock) {
        this.client = client;
        this.config = config;
        this.clock = clock;
    }

    public void post(LiveUpdate plan, PlanEvent e) {
        postOn(plan, e);
    }

    /**
     * An event about any object the operator acts on (a plan, a LiveUpdateNode it gave back, an agent DaemonSet or
     * pod). A namespaced object's events go to its own namespace (where kubectl describe looks for them).
     */
    public void postOn(HasMetadata involved, PlanEvent e) {
        String namespace = involved.getMetadata().getNamespace() != null ? involved.getMetadata().getNamespace()
                : config.eventNamespace();
        String type = e.warning() ? "Warning" : "Normal";
        String message = e.message().length() > 1000 ? e.message().substring(0, 1000) : e.message();
        String key = involved.getMetadata().getUid() + "\u0000" + type + "\u0000" + e.reason() + "\u0000" + message;
        Instant now = clock.instant();
        EventSeries.Step step = series.next(key, now, () -> newName(involved));
        if (step.kind() == EventSeries.Step.Kind.DROP) {
            LOG.debugf("%s=%s event=%s repeated within %s: not posted again", logKey(involved), involved.getMetadata().getName(),
                    e.reason(), EventSeries.RETRY_WINDOW);
            return;
        }
        LOG.infof("%s=%s event=%s type=%s message=%s", logKey(involved), involved.getMetadata().getName(), e.reason(), type, e.message());
        try {
            if (step.kind() == EventSeries.Step.Kind.INCREMENT) {
                try {
                    client.v1().events().inNamespace(namespace).withName(step.name()).patch(MERGE,
                            "{\"count\":" + step.count() + ",\"lastTimestamp\":\"" + now + "\"}");
                    return;
                } catch (KubernetesClientException gone) {
                    if (gone.getCode() != 404) {
                        throw gone;
                    }
                    series.forget(key);
                    step = series.next(key, now, () -> newName(involved));
                }
            }
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withName(step.name()).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(involved.getApiVersion())
                            .withKind(involved.getKind()).withName(involved.getMetadata().getName())
                            .withNamespace(involved.getMetadata().getNamespace())
                            .withUid(involved.getMetadata().getUid()).build())
                    .withType(type).withReason(e.reason()).withMessage(message)
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                    .withNewSource().withComponent("liveupdate-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException ex) {
            LOG.debugf("could not post event %s for %s: %s", e.reason(), involved.getMetadata().getName(), ex.getMessage());
        }
    }

    /** The log key of the object: plan=..., node=..., pod=..., daemonset=... */
    private static String logKey(HasMetadata involved) {
        return involved instanceof LiveUpdate ? "plan" : involved instanceof LiveUpdateNode ? "node"
                : involved.getKind().toLowerCase(Locale.ROOT);
    }

    private static String newName(HasMetadata involved) {
        return (involved.getMetadata().getName() + "." + Long.toHexString(System.nanoTime())
                + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 4)).toLowerCase(Locale.ROOT);
    }
}
