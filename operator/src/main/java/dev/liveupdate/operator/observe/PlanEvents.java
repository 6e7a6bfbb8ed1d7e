package dev.liveupdate.operator.observe;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.operator.OperatorConfig;
import dev.liveupdate.operator.planning.PlanEvent;
import io.fabric8.kubernetes.api.model.EventBuilder;
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
 * Posts core/v1 Events about a plan. LiveUpdates are cluster-scoped, so events go to one configured namespace
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
        String type = e.warning() ? "Warning" : "Normal";
        String message = e.message().length() > 1000 ? e.message().substring(0, 1000) : e.message();
        String key = plan.getMetadata().getUid() + "\u0000" + type + "\u0000" + e.reason() + "\u0000" + message;
        Instant now = clock.instant();
        EventSeries.Step step = series.next(key, now, () -> newName(plan));
        if (step.kind() == EventSeries.Step.Kind.DROP) {
            LOG.debugf("plan=%s event=%s repeated within %s: not posted again", plan.getMetadata().getName(),
                    e.reason(), EventSeries.RETRY_WINDOW);
            return;
        }
        LOG.infof("plan=%s event=%s type=%s message=%s", plan.getMetadata().getName(), e.reason(), type, e.message());
        try {
            if (step.kind() == EventSeries.Step.Kind.INCREMENT) {
                try {
                    client.v1().events().inNamespace(config.eventNamespace()).withName(step.name()).patch(MERGE,
                            "{\"count\":" + step.count() + ",\"lastTimestamp\":\"" + now + "\"}");
                    return;
                } catch (KubernetesClientException gone) {
                    if (gone.getCode() != 404) {
                        throw gone;
                    }
                    series.forget(key);
                    step = series.next(key, now, () -> newName(plan));
                }
            }
            client.v1().events().inNamespace(config.eventNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(step.name()).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(plan.getApiVersion())
                            .withKind(plan.getKind()).withName(plan.getMetadata().getName())
                            .withUid(plan.getMetadata().getUid()).build())
                    .withType(type).withReason(e.reason()).withMessage(message)
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                    .withNewSource().withComponent("liveupdate-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException ex) {
            LOG.debugf("could not post event %s for %s: %s", e.reason(), plan.getMetadata().getName(), ex.getMessage());
        }
    }

    private static String newName(LiveUpdate plan) {
        return (plan.getMetadata().getName() + "." + Long.toHexString(System.nanoTime())
                + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 4)).toLowerCase(Locale.ROOT);
    }
}
