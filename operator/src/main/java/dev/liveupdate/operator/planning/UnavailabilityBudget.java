package dev.liveupdate.operator.planning;

/**
 * The unavailability budget of one pass: selected (or held) nodes that are unavailable, counted once each whatever
 * the reason (NotReady, cordoned, disruptive because of this plan, or told to reboot by another plan), against
 * {@link Budget#maxUnavailable}. The count grows as this pass admits nodes, so one pass never admits more than the
 * budget leaves.
 */
final class UnavailabilityBudget {
    private final int max;
    private int unavailable;

    UnavailabilityBudget(PassContext pass) {
        int selected = 0;
        for (Tracked t : pass.tracked) {
            if (t.node() != null && t.entry.selected()) {
                selected++;
            }
            if (t.node() != null && (t.entry.selected() || t.held) && unavailable(t, pass.uid)) {
                unavailable++;
            }
        }
        max = Budget.maxUnavailable(pass.settings.maxUnavailable(), selected);
    }

    private static boolean unavailable(Tracked t, String uid) {
        if (FailedNodesHoldingBudget.leftForAPerson(t)) {
            // Our cordon mark stays until the plan winds down; a person who uncordoned the node put it back in service.
            return t.node().unavailable();
        }
        return t.node().unavailable() || t.node().cordonedBy(uid) || t.disruptive
                || RebootingForAnotherPlan.test(t.lun(), uid);
    }

    /**
     * Takes one more node out of service if the budget allows.
     *
     * @param alreadyCounted the node is already among the unavailable (we cordoned it)
     */
    boolean admit(boolean alreadyCounted) {
        int others = alreadyCounted ? unavailable - 1 : unavailable;
        if (others + 1 > max) {
            return false;
        }
        if (!alreadyCounted) {
            unavailable++;
        }
        return true;
    }

    int max() {
        return max;
    }

    int unavailable() {
        return unavailable;
    }
}
