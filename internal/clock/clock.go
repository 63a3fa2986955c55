// Package clock is the one settable clock of an opensom process: real
// time, frozen at an instant, or real time plus an offset. Everything that
// asks for the time for its logic (token expiry, the current school week)
// takes Clock.Now, so the admin API can move time for all of it at once.
package clock

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Mode is how a Clock answers Now.
type Mode string

// The modes of a Clock.
const (
	Real   Mode = "real"   // the source's time
	Frozen Mode = "frozen" // always State.At
	Offset Mode = "offset" // the source's time plus State.Offset
)

// State is a Clock's setting. At is used in Frozen mode only, Offset in
// Offset mode only.
type State struct {
	Mode   Mode
	At     time.Time
	Offset time.Duration
}

// Check reports a State that Set would refuse.
func (s State) Check() error {
	switch s.Mode {
	case Real:
		return nil
	case Frozen:
		if s.At.IsZero() {
			return errors.New("frozen clock needs an instant")
		}
		return nil
	case Offset:
		return nil
	}
	return fmt.Errorf("unknown mode %q", s.Mode)
}

// Clock is safe for concurrent use. The zero value is not usable; make one
// with New.
type Clock struct {
	source func() time.Time

	mu    sync.RWMutex
	state State
}

// New is a Clock in Real mode over source; a nil source is time.Now.
// Tests pass their own source and still get the modes on top of it.
func New(source func() time.Time) *Clock {
	if source == nil {
		source = time.Now
	}
	return &Clock{source: source, state: State{Mode: Real}}
}

// Now is the clock's time in its current mode.
func (c *Clock) Now() time.Time {
	c.mu.RLock()
	s := c.state
	c.mu.RUnlock()
	switch s.Mode {
	case Frozen:
		return s.At
	case Offset:
		return c.source().Add(s.Offset)
	}
	return c.source()
}

// State is the current setting.
func (c *Clock) State() State {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.state
}

// Set changes the mode; a State that fails Check changes nothing. Fields
// that the mode does not use are cleared, so State reports what is in
// force.
func (c *Clock) Set(s State) error {
	if err := s.Check(); err != nil {
		return err
	}
	switch s.Mode {
	case Real:
		s = State{Mode: Real}
	case Frozen:
		s.Offset = 0
	case Offset:
		s.At = time.Time{}
	}
	c.mu.Lock()
	c.state = s
	c.mu.Unlock()
	return nil
}
