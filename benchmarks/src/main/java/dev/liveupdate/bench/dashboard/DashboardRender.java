package dev.liveupdate.bench.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Renders the chart's Grafana dashboard to a PNG from a real Prometheus: every panel's queries are run as written (the
 * dashboard's variables filled in: every plan, the whole time range) and drawn on Grafana's 24-column grid. Grafana
 * itself is not used (its server is AGPL, off limits here); this draws the same queries on the same layout.
 *
 * <p>{@code DashboardRender --prometheus URL --dashboard FILE --from EPOCH --to EPOCH --out PNG}
 * (hack/render-dashboard.sh runs it after a sandbox rollout). Prints each panel's series count; a panel without data
 * is drawn "No data", as Grafana does, and named on stderr.
 */
public final class DashboardRender {
    private static final int WIDTH = 1600;
    private static final int ROW = 30;
    private static final int HEADER = 48;
    private static final Pattern LEGEND = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    private DashboardRender() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of(a.get("--dashboard"))));
        long from = Long.parseLong(a.get("--from"));
        long to = Long.parseLong(a.get("--to"));
        PrometheusQueries prometheus = new PrometheusQueries(a.get("--prometheus"));
        System.setProperty("java.awt.headless", "true");
        int rows = 0;
        for (JsonNode p : dashboard.get("panels")) {
            rows = Math.max(rows, p.at("/gridPos/y").asInt() + p.at("/gridPos/h").asInt());
        }
        BufferedImage img = new BufferedImage(WIDTH, HEADER + rows * ROW + 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(PanelPainter.PAGE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(new java.awt.Color(0xCCCCDC));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(dashboard.path("title").asText(), 14, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(a.getOrDefault("--note", "") + "   " + java.time.Instant.ofEpochSecond(from) + " to "
                + java.time.Instant.ofEpochSecond(to) + "   plan: All", 260, 30);
        PanelPainter painter = new PanelPainter(g);
        double col = (WIDTH - 8) / 24.0;
        List<String> empty = new ArrayList<>();
        for (JsonNode p : dashboard.get("panels")) {
            int x = 4 + (int) Math.round(p.at("/gridPos/x").asInt() * col);
            int y = HEADER + p.at("/gridPos/y").asInt() * ROW;
            int w = (int) Math.round(p.at("/gridPos/w").asInt() * col) - 6;
            int h = p.at("/gridPos/h").asInt() * ROW - 6;
            String type = p.path("type").asText();
            String unit = p.at("/fieldConfig/defaults/unit").asText("short");
            List<PanelPainter.Line> lines = new ArrayList<>();
            for (JsonNode t : p.get("targets")) {
                String expr = variables(t.get("expr").asText(), from, to);
                var series = type.equals("timeseries")
                        ? prometheus.range(expr, from, to, Math.max(1, (to - from) / 300))
                        : prometheus.instant(expr, to);
                for (var s : series) {
                    lines.add(new PanelPainter.Line(legend(t.path("legendFormat").asText(""), s.labels()), s.samples()));
                }
            }
            if (type.equals("bargauge")) {
                lines.sort(Comparator.comparingDouble(DashboardRender::bucketBound));
            } else {
                lines.sort(Comparator.comparing(PanelPainter.Line::name));
            }
            painter.frame(x, y, w, h, p.path("title").asText());
            System.out.printf("%-55s %3d series%n", p.path("title").asText(), lines.size());
            if (lines.isEmpty()) {
                empty.add(p.path("title").asText());
                painter.noData(x, y, w, h);
            } else if (type.equals("stat")) {
                painter.stat(x, y, w, h, lines, unit, "name".equals(p.at("/options/textMode").asText()));
            } else if (type.equals("bargauge")) {
                painter.bars(x, y, w, h, lines, unit);
            } else {
                boolean stacked = "normal".equals(p.at("/fieldConfig/defaults/custom/stacking/mode").asText());
                painter.timeseries(x, y, w, h, lines, unit, stacked, from, to);
            }
        }
        Path out = Path.of(a.get("--out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        ImageIO.write(img, "png", out.toFile());
        System.out.println("wrote " + out);
        if (!empty.isEmpty()) {
            System.err.println("panels without data (drawn \"No data\"): " + empty);
        }
    }

    /** The dashboard's variables as a person would have them: every plan, the whole range. */
    static String variables(String expr, long from, long to) {
        return expr.replace("$plan", ".*").replace("$__range", Math.max(1, to - from) + "s");
    }

    static String legend(String format, Map<String, String> labels) {
        if (format.isBlank()) {
            return labels.toString();
        }
        Matcher m = LEGEND.matcher(format);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(labels.getOrDefault(m.group(1), "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static double bucketBound(PanelPainter.Line l) {
        String name = l.name().replaceAll("[^0-9.+Inf]", "");
        return name.contains("Inf") ? Double.POSITIVE_INFINITY : name.isEmpty() ? 0 : Double.parseDouble(name);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            out.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--prometheus", "--dashboard", "--from", "--to", "--out")) {
            if (!out.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required + "; usage: DashboardRender --prometheus URL "
                        + "--dashboard FILE --from EPOCH --to EPOCH --out PNG [--note TEXT]");
            }
        }
        return out;
    }
}
