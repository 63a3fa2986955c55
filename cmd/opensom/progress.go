package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// progress shows how far a seed has come: on a terminal a bar redrawn in
// place a few times a second, elsewhere (a log, CI) a plain line every
// few seconds.
type progress struct {
	w     io.Writer
	bar   bool
	off   bool
	now   func() time.Time
	every time.Duration // between two lines or redraws

	start, shown time.Time
	parts        int // parts written, out of totalParts
	totalParts   int
	schools      int
	totalSchools int
	pupils       int
	totalPupils  int
	rows         int64
}

// newProgress shows progress on w in mode (auto, bar, lines or none).
func newProgress(w io.Writer, mode string, totalParts, schools, pupils int,
	now func() time.Time) *progress {
	p := &progress{w: w, now: now, start: now(), totalParts: totalParts,
		totalSchools: schools, totalPupils: pupils}
	p.shown = p.start
	switch mode {
	case "none":
		p.off = true
	case "bar":
		p.bar = true
	case "auto":
		f, ok := w.(*os.File)
		p.bar = ok && term.IsTerminal(int(f.Fd()))
	}
	p.every = 5 * time.Second
	if p.bar {
		p.every = 200 * time.Millisecond
	}
	return p
}

// add counts one part written: rows rows, and when it completes a school,
// its pupils.
func (p *progress) add(rows int, schoolDone bool, pupils int) {
	p.parts++
	p.rows += int64(rows)
	if schoolDone {
		p.schools++
		p.pupils += pupils
	}
	if now := p.now(); now.Sub(p.shown) >= p.every {
		p.shown = now
		p.show(now)
	}
}

// finish ends the bar's line.
func (p *progress) finish() {
	if p.off {
		return
	}
	p.show(p.now())
	if p.bar {
		fmt.Fprintln(p.w)
	}
}

func (p *progress) show(now time.Time) {
	if p.off {
		return
	}
	elapsed := now.Sub(p.start)
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.rows) / elapsed.Seconds()
	}
	done := float64(p.parts) / float64(max(p.totalParts, 1))
	status := fmt.Sprintf("%d/%d schools  %d/%d pupils  %s rows  %s rows/s", p.schools,
		p.totalSchools, p.pupils, p.totalPupils, count(float64(p.rows)), count(rate))
	eta := ""
	if done > 0 && done < 1 {
		left := time.Duration(float64(elapsed) * (1 - done) / done)
		eta = "  about " + left.Round(time.Second).String() + " left"
	}
	if !p.bar {
		fmt.Fprintf(p.w, "seed: %3.0f%%  %s  %s%s\n", 100*done, status,
			elapsed.Round(time.Second), eta)
		return
	}
	const width = 24
	filled := int(done * width)
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %s%s\x1b[K", strings.Repeat("#", filled),
		strings.Repeat(".", width-filled), 100*done, status, eta)
}

// count writes a number short: 950, 12.3k, 4.5M.
func count(n float64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", n/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.0fk", n/1e3)
	case n >= 1e3:
		return fmt.Sprintf("%.1fk", n/1e3)
	}
	return fmt.Sprintf("%.0f", n)
}
