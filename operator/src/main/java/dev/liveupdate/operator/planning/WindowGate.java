package dev.liveupdate.operator.planning;

/**
 * The maintenance window: no wave starts and no node is asked to reboot while it is shut; the pass then says it
 * waits for the window and wakes at its next opening.
 */
final class WindowGate {
    private final PassContext pass;

    WindowGate(PassContext pass) {
        this.pass = pass;
    }

    boolean open() {
        WindowSchedule window = pass.settings.window();
        if (window == null || window.isOpen(pass.now)) {
            return true;
        }
        window.nextOpening(pass.now).ifPresent(pass::wakeAt);
        pass.waitingFor = "maintenance window " + window;
        return false;
    }
}
