package dev.liveupdate.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One node's instruction (spec, from the operator) and report (status, from its agent). Named after the Node. */
@Group(LiveUpdate.GROUP)
@Version(LiveUpdate.VERSION)
@Kind("LiveUpdateNode")
@Plural("liveupdatenodes")
@Singular("liveupdatenode")
@ShortNames("lun")
@AdditionalPrinterColumn(name = "Node", jsonPath = ".spec.nodeName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.instruction.step", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Since", jsonPath = ".spec.instruction.issuedAt", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "ABI", jsonPath = ".status.inventory.abi", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Blackout", jsonPath = ".status.blackout.duration", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Kernel", jsonPath = ".status.inventory.kernelRelease", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Plan", jsonPath = ".spec.instruction.plan.name", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "self.metadata.name == self.spec.nodeName", message = "a LiveUpdateNode is named after its Node: metadata.name must equal spec.nodeName")
public class LiveUpdateNode extends CustomResource<LiveUpdateNodeSpec, LiveUpdateNodeStatus> {
    /**
     * Set by a person, value the uid of the plan whose restore failed ({@code status.plan.uid}): the node's agent then
     * sends FINISH, dropping every file no workload took back, so the node is free for the next plan. Acted on only
     * while the agent reports Failed after the kexec for that plan (RestoreTimeout, SessionsLost).
     */
    public static final String DISCARD_UNRESTORED_ANNOTATION = "liveupdate.dev/discard-unrestored";
    /** Written by the operator with each instruction: the holding plan's ledger (JSON: plan uid, wave, times, failure). */
    public static final String LEDGER_ANNOTATION = "liveupdate.dev/ledger";
    /** Written by the operator when a plan lets go of the node: key prefix of the plan's outcome (JSON), suffix the plan uid. */
    public static final String OUTCOME_ANNOTATION_PREFIX = "liveupdate.dev/outcome.";
}
