package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.StageRequest;
import dev.liveupdate.api.v1alpha1.StagedArtifact;
import dev.liveupdate.api.v1alpha1.StagingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Kernel staging ahead of the waves, for a plan whose kernel comes from URLs: every selected node the plan has not
 * finished with is asked (LiveUpdateNode spec.stage, entries named by the plan) to stage the plan's image and initrd,
 * at most {@code strategy.stagingParallelism} (default 10) nodes downloading at a time (a node counts until its agent reports every artifact
 * Staged or Failed; a failed node retries on its own and frees its slot, so one bad mirror path does not stall the
 * fleet's queue). Nodes the plan holds are asked regardless of the bound: they need the kernel now. The requests are
 * removed once the node is done with the plan, leaves its selection, or the plan winds down; the agent keeps what it
 * loaded. Costs one LiveUpdateNode write to ask and one to withdraw per node and plan; a plan naming host paths
 * writes nothing here. Never a second write to a node in one pass: a node another decision wrote is asked next pass.
 */
final class KernelStagingRequests {
    private final PassContext pass;

    KernelStagingRequests(PassContext pass) {
        this.pass = pass;
    }

    void request() {
        PreflightNeeds needs = pass.settings.preflight() == null ? PreflightNeeds.NONE : pass.settings.preflight();
        String plan = pass.plan.name();
        List<StageRequest> wanted = needs.stage().stream()
                .map(r -> new StageRequest(r.getUrl(), r.getSha256(), r.getAllowPlainHttp(), plan)).toList();
        int downloading = 0;
        if (!wanted.isEmpty()) {
            for (Tracked t : pass.tracked) {
                if (t.lun() != null && !t.lun().stagedFor(plan).isEmpty() && !settled(t, wanted)) {
                    downloading++;
                }
            }
        }
        for (Tracked t : pass.tracked) {
            if (t.lun() == null || t.lunWritten) {
                continue;
            }
            List<StageRequest> mine = t.lun().stagedFor(plan);
            boolean wants = !wanted.isEmpty() && wants(t);
            if (wants && !mine.equals(wanted) && (t.held || !mine.isEmpty() || downloading < pass.settings.stagingParallelism())) {
                if (mine.isEmpty()) {
                    downloading++;
                }
                pass.writes.stage(t, with(others(t, plan), wanted));
            } else if (!wants && !mine.isEmpty()) {
                pass.writes.stage(t, others(t, plan));
            }
        }
    }

    /** Selected and not done with: pending, held back for now, or held. */
    private boolean wants(Tracked t) {
        if (pass.mode.windsDown()) {
            return false;
        }
        return t.held || t.entry.selected() && (t.bucket == NodeBucket.PENDING || t.bucket == NodeBucket.BLOCKED);
    }

    /** The agent reports every wanted artifact Staged or Failed. */
    static boolean settled(Tracked t, List<StageRequest> wanted) {
        List<StagedArtifact> staging = t.lun().agent() == null ? null : t.lun().agent().staging();
        for (StageRequest r : wanted) {
            StagedArtifact a = find(staging, r.getSha256());
            if (a == null || a.getState() == StagingState.Downloading) {
                return false;
            }
        }
        return true;
    }

    static StagedArtifact find(List<StagedArtifact> staging, String sha256) {
        if (staging != null) {
            for (StagedArtifact a : staging) {
                if (Objects.equals(sha256, a.getSha256())) {
                    return a;
                }
            }
        }
        return null;
    }

    private static List<StageRequest> others(Tracked t, String plan) {
        List<StageRequest> all = t.lun().stage();
        return all == null ? List.of() : all.stream().filter(r -> !plan.equals(r.getPlan())).toList();
    }

    private static List<StageRequest> with(List<StageRequest> others, List<StageRequest> mine) {
        List<StageRequest> out = new ArrayList<>(others);
        out.addAll(mine);
        return out;
    }
}
