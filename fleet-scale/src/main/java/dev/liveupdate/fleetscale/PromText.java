package dev.liveupdate.fleetscale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The Prometheus text exposition format, just enough for counters and gauges: name, labels, value. */
public final class PromText {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private PromText() {
    }

    public static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space;
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < line.indexOf(' ')) {
                name = line.substring(0, brace);
                int end = line.indexOf('}', brace);
                parseLabels(line.substring(brace + 1, end), labels);
                space = end + 1;
            } else {
                space = line.indexOf(' ');
                name = line.substring(0, space);
            }
            String[] rest = line.substring(space).trim().split("\\s+");
            try {
                out.add(new Sample(name, labels, Double.parseDouble(rest[0])));
            } catch (NumberFormatException e) {
                // NaN/Inf spelled otherwise, or a format we do not read: skip the line
            }
        }
        return out;
    }

    private static void parseLabels(String s, Map<String, String> labels) {
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                return;
            }
            String key = s.substring(i, eq).trim().replaceFirst("^,", "").trim();
            int q = s.indexOf('"', eq);
            StringBuilder v = new StringBuilder();
            int j = q + 1;
            while (j < s.length() && s.charAt(j) != '"') {
                if (s.charAt(j) == '\\' && j + 1 < s.length()) {
                    j++;
                }
                v.append(s.charAt(j));
                j++;
            }
            labels.put(key, v.toString());
            i = j + 1;
            while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
                i++;
            }
        }
    }

    /** The sum of every sample named {@code name} that {@code filter} accepts. */
    public static double sum(List<Sample> samples, String name, Predicate<Sample> filter) {
        return samples.stream().filter(s -> s.name().equals(name)).filter(filter).mapToDouble(Sample::value).sum();
    }

    public static double max(List<Sample> samples, String name, Predicate<Sample> filter) {
        return samples.stream().filter(s -> s.name().equals(name)).filter(filter).mapToDouble(Sample::value).max().orElse(0);
    }
}
