package dev.liveupdate.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A fleet-wide live-update plan (cluster-scoped). */
@Group(LiveUpdate.GROUP)
@Version(LiveUpdate.VERSION)
@Kind("LiveUpdate")
@Plural("liveupdates")
@Singular("liveupdate")
@ShortNames("lu")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Kernel", jsonPath = ".spec.kernel.release", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Done", jsonPath = ".status.progress", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Failed", jsonPath = ".status.nodeCounts.failed", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Preflight", jsonPath = ".status.preflight.summary", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Wave", jsonPath = ".status.currentWave", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class LiveUpdate extends CustomResource<LiveUpdateSpec, LiveUpdateStatus> {
    public static final String GROUP = "liveupdate.dev";
    public static final String VERSION = "v1alpha1";
}
