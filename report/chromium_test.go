package report

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReportRendersInHeadlessChromium opens the report in Debian's Chromium, checks
// that the browser kept the charts (the DOM after load holds every heatmap cell and
// line), that nothing was fetched or failed in the page, and that the screenshot shows
// the heatmap's colors. The screenshot is kept as build/artefacts/report.png for people
// to look at. scripts/ensure-chromium.sh installs Chromium; without it the test skips.
// FRAMEALIGN_OUT, when set, names a real output folder to render instead of the fixture.
func TestReportRendersInHeadlessChromium(t *testing.T) {
	var out *Output
	if dir := os.Getenv("FRAMEALIGN_OUT"); dir != "" {
		var err error
		if out, err = Load(dir); err != nil {
			t.Fatal(err)
		}
	} else {
		out = load(t, writeFixture(t))
	}
	renderInChromium(t, out, "report.png")
}

// TestDateReportRendersInHeadlessChromium draws statements dated by a DATE column and
// no group column, as the White House corpus gives them: the time charts must be one
// line per chart, a point per month, ticks labelled by month.
func TestDateReportRendersInHeadlessChromium(t *testing.T) {
	out := datedOutput(t, "2021-01-20", 3, 487) // 2021-01-20 to 2025-01-14: 49 months
	r := renderInChromium(t, out, "report-dates.png")
	if r.Trend == nil || r.Trend.Bin != "month" || len(r.Trend.Overall.Points) != 49 {
		t.Fatalf("trend %+v, want 49 months", r.Trend)
	}
}

// renderInChromium builds the report of out with the default options, renders it,
// checks it in Chromium, and keeps a screenshot as build/artefacts/<shot>.
func renderInChromium(t *testing.T, out *Output, shotName string) *Report {
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed: run scripts/ensure-chromium.sh (CI does)")
	}
	r, err := Build(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "report.html")
	if err := WriteHTML(page, r); err != nil {
		t.Fatal(err)
	}
	url := "file://" + page

	dom, logs := runChromium(t, browser, "--dump-dom", url)
	cells := strings.Count(dom, `class="cell"`)
	if want := len(r.Heatmap.Rows) * len(r.Dimensions); cells != want || cells == 0 {
		t.Errorf("the browser's DOM holds %d heatmap cells, want %d", cells, want)
	}
	if r.Trend != nil {
		lines := regexp.MustCompile(`<path class="series" d="M[0-9.]+,[0-9.]+`).FindAllString(dom, -1)
		if want := 2 * (len(r.Trend.Series) + 1); len(lines) != want {
			t.Errorf("the browser's DOM holds %d drawn lines, want %d", len(lines), want)
		}
		points := 0
		for _, s := range append(r.Trend.Series, r.Trend.Overall) {
			points += len(s.Points)
		}
		if n := strings.Count(dom, `<circle cx=`); n != 2*points {
			t.Errorf("the browser's DOM holds %d points, want %d", n, 2*points)
		}
		if r.Trend.Bin != "" {
			if !strings.Contains(dom, r.Trend.Time+" (by "+r.Trend.Bin+")") {
				t.Errorf("the date axis is not titled %q", r.Trend.Time+" (by "+r.Trend.Bin+")")
			}
			t.Logf("time charts: %d points over %s by %s, %s to %s", len(r.Trend.Overall.Points), r.Trend.Time, r.Trend.Bin,
				r.Trend.Overall.Points[0].Label, r.Trend.Overall.Points[len(r.Trend.Overall.Points)-1].Label)
		}
	} else {
		t.Logf("no time chart: %s", r.TrendAbsent)
	}
	if n := strings.Count(dom, "<svg"); n < 3 {
		t.Errorf("the browser's DOM holds %d svg charts", n)
	}
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "Uncaught") || strings.Contains(l, "CONSOLE") || strings.Contains(l, "Failed to load resource") {
			t.Errorf("page error: %s", l)
		}
	}

	shot, err := filepath.Abs(filepath.Join("..", "build", "artefacts", shotName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(shot), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(shot)
	runChromium(t, browser, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars", url)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", shot, err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot is %dx%d, want 1280x2000", b.Dx(), b.Dy())
	}
	// The heatmap's scale runs to dark blue; a page whose SVG was not drawn has none.
	if n := bluePixels(img); n < 500 {
		t.Errorf("screenshot has %d heatmap-blue pixels: the heatmap was not drawn", n)
	}
	t.Logf("screenshot: %s", shot)
	return r
}

func bluePixels(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if bl > 100 && bl > r+60 && bl > g+20 {
				n++
			}
		}
	}
	return n
}

// runChromium runs one headless Chromium command with no network features and returns
// its standard output and its log.
func runChromium(t *testing.T, browser string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
		"--user-data-dir=" + t.TempDir(),
	}
	cmd := exec.CommandContext(ctx, browser, append(base, args...)...)
	var out, errs strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, errs.String())
	}
	return out.String(), errs.String()
}
