package dev.liveupdate.bench.dashboard;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** Draws one dashboard panel (timeseries, stat or bar gauge) in a rectangle, in Grafana's dark theme's colours. */
final class PanelPainter {
    static final Color PAGE = new Color(0x111217);
    private static final Color PANEL = new Color(0x181B1F);
    private static final Color BORDER = new Color(0x2C3235);
    private static final Color TEXT = new Color(0xCCCCDC);
    private static final Color DIM = new Color(0x8E8E8E);
    private static final Color GRID = new Color(0x25282D);
    static final Color[] PALETTE = {new Color(0x73BF69), new Color(0xF2CC0C), new Color(0x8AB8FF), new Color(0xFF780A),
        new Color(0xF2495C), new Color(0x5794F2), new Color(0xB877D9), new Color(0x705DA0), new Color(0x37872D),
        new Color(0xFADE2A)};

    /** A series ready to draw: its legend name and samples. */
    record Line(String name, List<double[]> samples) {
        double last() {
            return samples.isEmpty() ? Double.NaN : samples.get(samples.size() - 1)[1];
        }
    }

    private final Graphics2D g;

    PanelPainter(Graphics2D g) {
        this.g = g;
    }

    void frame(int x, int y, int w, int h, String title) {
        g.setColor(PANEL);
        g.fillRoundRect(x, y, w, h, 6, 6);
        g.setColor(BORDER);
        g.drawRoundRect(x, y, w, h, 6, 6);
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, x + 10, y + 20);
    }

    void noData(int x, int y, int w, int h) {
        g.setColor(DIM);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString("No data", x + w / 2 - 25, y + h / 2 + 10);
    }

    /** @param namesOnly Grafana's textMode "name": the series' names are the values (e.g. a plan's phase) */
    void stat(int x, int y, int w, int h, List<Line> lines, String unit, boolean namesOnly) {
        int rows = lines.size();
        int rowH = Math.max(22, Math.min(48, (h - 34) / Math.max(1, rows)));
        int yy = y + 34 + rowH - 8;
        for (int i = 0; i < rows && yy < y + h; i++, yy += rowH) {
            Line l = lines.get(i);
            g.setColor(PALETTE[i % PALETTE.length]);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(14, rowH - 16)));
            String v = namesOnly ? l.name() : Units.format(l.last(), unit);
            g.drawString(v, x + 12, yy);
            if (namesOnly) {
                continue;
            }
            int vw = g.getFontMetrics().stringWidth(v);
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(l.name(), x + 24 + vw, yy);
        }
    }

    void bars(int x, int y, int w, int h, List<Line> lines, String unit) {
        int left = x + 16;
        int bottom = y + h - 30;
        int top = y + 40;
        double max = lines.stream().mapToDouble(Line::last).filter(Double::isFinite).max().orElse(1);
        max = max <= 0 ? 1 : max;
        int n = lines.size();
        int slot = (w - 32) / Math.max(1, n);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i < n; i++) {
            Line l = lines.get(i);
            double v = Double.isFinite(l.last()) ? l.last() : 0;
            int bh = (int) Math.round(v / max * (bottom - top));
            int bx = left + i * slot + slot / 6;
            g.setColor(PALETTE[2]);
            g.fillRect(bx, bottom - bh, Math.max(2, slot * 2 / 3), bh);
            g.setColor(TEXT);
            String value = Units.format(v, unit);
            g.drawString(value, bx, bottom - bh - 3);
            g.setColor(DIM);
            drawClipped(l.name(), bx, bottom + 14, slot);
        }
    }

    void timeseries(int x, int y, int w, int h, List<Line> lines, String unit, boolean stacked, long from, long to) {
        FontMetrics fm = g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int legendW = Math.min(w / 3, 12 + lines.stream().mapToInt(l -> fm.stringWidth(l.name())).max().orElse(0) + 20);
        int left = x + 52;
        int right = x + w - legendW - 8;
        int top = y + 34;
        int bottom = y + h - 22;
        List<double[][]> drawn = stacked ? stack(lines) : lines.stream().map(l -> bands(l, null)).toList();
        double max = 0;
        for (double[][] band : drawn) {
            for (double[] p : band) {
                if (Double.isFinite(p[2])) {
                    max = Math.max(max, p[2]);
                }
            }
        }
        max = niceCeiling(max <= 0 ? 1 : max);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i <= 4; i++) {
            int yy = bottom - (bottom - top) * i / 4;
            g.setColor(GRID);
            g.drawLine(left, yy, right, yy);
            g.setColor(DIM);
            String label = Units.format(max * i / 4, unit);
            g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label), yy + 4);
        }
        for (int i = 0; i <= 4; i++) {
            long t = from + (to - from) * i / 4;
            int xx = left + (right - left) * i / 4;
            String label = java.time.Instant.ofEpochSecond(t).atZone(java.time.ZoneOffset.UTC).toLocalTime().toString();
            g.setColor(DIM);
            g.drawString(label, xx - g.getFontMetrics().stringWidth(label) / 2, bottom + 14);
        }
        for (int s = drawn.size() - 1; s >= 0; s--) {
            double[][] band = drawn.get(s);
            Color c = PALETTE[s % PALETTE.length];
            if (stacked && band.length > 1) {
                Polygon area = new Polygon();
                for (double[] p : band) {
                    area.addPoint(px(p[0], from, to, left, right), py(p[2], max, top, bottom));
                }
                for (int i = band.length - 1; i >= 0; i--) {
                    area.addPoint(px(band[i][0], from, to, left, right), py(band[i][1], max, top, bottom));
                }
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 150));
                g.fillPolygon(area);
            }
            g.setColor(c);
            g.setStroke(new BasicStroke(1.6f));
            for (int i = 0; i + 1 < band.length; i++) {
                if (Double.isFinite(band[i][2]) && Double.isFinite(band[i + 1][2])) {
                    g.drawLine(px(band[i][0], from, to, left, right), py(band[i][2], max, top, bottom),
                            px(band[i + 1][0], from, to, left, right), py(band[i + 1][2], max, top, bottom));
                }
            }
            g.setStroke(new BasicStroke(1f));
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int ly = top + 4;
        for (int s = 0; s < lines.size() && ly < bottom; s++, ly += 16) {
            g.setColor(PALETTE[s % PALETTE.length]);
            g.fillRect(right + 14, ly, 10, 4);
            g.setColor(TEXT);
            drawClipped(lines.get(s).name(), right + 28, ly + 6, legendW - 24);
        }
    }

    /** Stacked bands: per series, per sample time, {t, lower, upper}; times aligned on the union of all samples. */
    private static List<double[][]> stack(List<Line> lines) {
        TreeMap<Double, double[]> base = new TreeMap<>();
        lines.forEach(l -> l.samples().forEach(p -> base.putIfAbsent(p[0], new double[] {0})));
        List<double[][]> out = new ArrayList<>();
        for (Line l : lines) {
            TreeMap<Double, Double> values = new TreeMap<>();
            l.samples().forEach(p -> values.put(p[0], Double.isFinite(p[1]) ? p[1] : 0));
            double[][] band = new double[base.size()][];
            int i = 0;
            for (var e : base.entrySet()) {
                double v = values.getOrDefault(e.getKey(), 0.0);
                band[i++] = new double[] {e.getKey(), e.getValue()[0], e.getValue()[0] + v};
                e.getValue()[0] += v;
            }
            out.add(band);
        }
        return out;
    }

    private static double[][] bands(Line l, Object unused) {
        return l.samples().stream().map(p -> new double[] {p[0], 0, p[1]}).toArray(double[][]::new);
    }

    private void drawClipped(String s, int x, int y, int width) {
        FontMetrics fm = g.getFontMetrics();
        String text = s;
        while (text.length() > 3 && fm.stringWidth(text) > width) {
            text = text.substring(0, text.length() - 2);
        }
        g.drawString(text.equals(s) ? s : text + "…", x, y);
    }

    private static int px(double t, long from, long to, int left, int right) {
        return left + (int) Math.round((t - from) * (right - left) / Math.max(1.0, to - from));
    }

    private static int py(double v, double max, int top, int bottom) {
        double c = Double.isFinite(v) ? Math.min(v, max) : 0;
        return bottom - (int) Math.round(c / max * (bottom - top));
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Grafana's units, the few the dashboard uses. */
    static final class Units {
        private Units() {
        }

        static String format(double v, String unit) {
            if (!Double.isFinite(v)) {
                return "-";
            }
            return switch (unit == null ? "short" : unit) {
                case "percentunit" -> String.format(Locale.ROOT, "%.0f%%", v * 100);
                case "s" -> v >= 60 ? String.format(Locale.ROOT, "%.1f min", v / 60)
                        : String.format(Locale.ROOT, v >= 10 ? "%.0f s" : "%.2f s", v);
                case "reqps" -> String.format(Locale.ROOT, "%.2f/s", v);
                default -> v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                        : String.format(Locale.ROOT, "%.2f", v);
            };
        }
    }
}
