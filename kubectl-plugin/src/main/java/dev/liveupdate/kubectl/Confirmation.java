package dev.liveupdate.kubectl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** Asks before an action that loses something; only "y" or "yes" goes ahead (end of input is a no). */
final class Confirmation {
    private Confirmation() {
    }

    static boolean ask(PrintWriter prompt, BufferedReader in, String what) {
        prompt.print(what + "\nContinue? [y/N] ");
        prompt.flush();
        String answer;
        try {
            answer = in.readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null) {
            prompt.println();
            prompt.flush();
            return false;
        }
        String a = answer.trim().toLowerCase(Locale.ROOT);
        return a.equals("y") || a.equals("yes");
    }
}
