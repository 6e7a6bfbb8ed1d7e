package dev.liveupdate.fleetscale;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Nodes per phase over time as stacked areas, wave starts as vertical lines; Java2D, headless. */
final class PhasePlot {
    private static final Color[] COLORS = {
        new Color(0xBDBDBD), new Color(0xFFD54F), new Color(0xFFB300), new Color(0xE53935), new Color(0x42A5F5),
        new Color(0x43A047), new Color(0x6A1B9A), new Color(0x8D6E63)};

    private PhasePlot() {
    }

    static void write(FleetScaleResult r, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 1200;
        int h = 560;
        int left = 70;
        int right = 200;
        int top = 50;
        int bottom = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        List<FleetObserver.Row> rows = r.rows();
        List<FleetObserver.PlanMark> marks = r.marks();
        long t0 = marks.stream().filter(m -> m.phase() != null || m.wave() != null).mapToLong(FleetObserver.PlanMark::atMillis).min()
                .orElse(rows.isEmpty() ? 0 : rows.get(0).atMillis());
        long t1 = rows.isEmpty() ? t0 + 1 : Math.max(t0 + 1, rows.get(rows.size() - 1).atMillis());
        int n = r.options().nodes();
        int pw = w - left - right;
        int ph = h - top - bottom;
        FleetObserver.Column[] cols = FleetObserver.Column.values();
        for (int i = 0; i + 1 < rows.size(); i++) {
            FleetObserver.Row row = rows.get(i);
            if (row.atMillis() < t0) {
                continue;
            }
            int x0 = left + (int) ((row.atMillis() - t0) * pw / (t1 - t0));
            int x1 = left + (int) ((rows.get(i + 1).atMillis() - t0) * pw / (t1 - t0));
            int y = top + ph;
            for (int c = 0; c < cols.length; c++) {
                int count = row.counts().get(cols[c]);
                int hh = (int) Math.round(count * (double) ph / n);
                g.setColor(COLORS[c]);
                g.fillRect(x0, y - hh, Math.max(1, x1 - x0), hh);
                y -= hh;
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int y = top + ph - i * ph / 5;
            g.drawString(Integer.toString(n * i / 5), 10, y + 4);
            long t = (t1 - t0) * i / 5;
            int x = left + i * pw / 5;
            g.drawString(String.format(Locale.ROOT, "%.0f s", t / 1000.0), x - 10, top + ph + 18);
        }
        g.drawString("time since the plan was applied", left + pw / 2 - 90, h - 20);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        Integer last = null;
        for (FleetObserver.PlanMark m : marks) {
            if (m.wave() != null && !m.wave().equals(last) && m.atMillis() >= t0) {
                int x = left + (int) ((m.atMillis() - t0) * pw / (t1 - t0));
                g.setColor(Color.DARK_GRAY);
                g.drawLine(x, top, x, top + ph);
                if (marks.size() < 40 || m.wave() % 5 == 0) {
                    g.drawString("w" + m.wave(), x + 2, top - 4);
                }
                last = m.wave();
            }
        }
        g.setStroke(new BasicStroke());
        for (int c = 0; c < cols.length; c++) {
            g.setColor(COLORS[c]);
            g.fillRect(w - right + 20, top + 10 + c * 22, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(cols[c].name().toLowerCase(Locale.ROOT), w - right + 40, top + 22 + c * 22);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(String.format(Locale.ROOT, "%d nodes: makespan %.1f s, ideal %.1f s (x%.3f), %d waves; plan %s", n,
                r.makespan().toMillis() / 1000.0, r.ideal().total().toMillis() / 1000.0, r.makespanOverIdeal(), r.ideal().waves(),
                r.planPhase()), left, 30);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
