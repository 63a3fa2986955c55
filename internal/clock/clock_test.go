package clock

import (
	"sync"
	"testing"
	"time"
)

func TestModes(t *testing.T) {
	base := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name  string
		state State
		want  time.Time
	}{
		{"real", State{Mode: Real}, base},
		{"frozen", State{Mode: Frozen, At: at}, at},
		{"offset forward", State{Mode: Offset, Offset: 36 * time.Hour}, base.Add(36 * time.Hour)},
		{"offset back", State{Mode: Offset, Offset: -time.Hour}, base.Add(-time.Hour)},
		{"real drops the instant", State{Mode: Real, At: at}, base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(func() time.Time { return base })
			if err := c.Set(tt.state); err != nil {
				t.Fatal(err)
			}
			if got := c.Now(); !got.Equal(tt.want) {
				t.Errorf("Now = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSourceMoves(t *testing.T) {
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	c := New(func() time.Time { return now })
	if err := c.Set(State{Mode: Offset, Offset: time.Minute}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if got, want := c.Now(), now.Add(time.Minute); !got.Equal(want) {
		t.Errorf("offset clock: Now = %v, want %v", got, want)
	}
	if err := c.Set(State{Mode: Frozen, At: now}); err != nil {
		t.Fatal(err)
	}
	frozen := now
	now = now.Add(time.Hour)
	if got := c.Now(); !got.Equal(frozen) {
		t.Errorf("frozen clock moved: Now = %v, want %v", got, frozen)
	}
}

func TestBadStateChangesNothing(t *testing.T) {
	tests := []struct {
		name  string
		state State
	}{
		{"unknown mode", State{Mode: "later"}},
		{"empty mode", State{}},
		{"frozen without instant", State{Mode: Frozen}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(nil)
			before := State{Mode: Offset, Offset: time.Hour}
			if err := c.Set(before); err != nil {
				t.Fatal(err)
			}
			if err := c.Set(tt.state); err == nil {
				t.Fatal("Set accepted a bad state")
			}
			if got := c.State(); got != before {
				t.Errorf("State = %+v, want %+v", got, before)
			}
		})
	}
}

// TestConcurrent is for the race detector: readers and writers at once.
func TestConcurrent(t *testing.T) {
	c := New(nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				if i%2 == 0 {
					_ = c.Set(State{Mode: Offset, Offset: time.Duration(j) * time.Second})
					continue
				}
				_ = c.Now()
			}
		})
	}
	wg.Wait()
}
