// Package world reads world files: YAML (or JSON) documents that describe
// schools, their people, groups, timetables, grades and records compactly,
// and turns one into a *school.World that the store imports. The format is
// docs/world-files.md, with docs/world.schema.json beside it.
//
// A file loads whole or not at all: Load collects every problem it finds
// (unknown keys, wrong types, names that refer to nothing, values out of
// range), up to MaxProblems, each with the file, the line and the field,
// and returns them as *Errors without a world.
package world

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/opensom/opensom/internal/school"
)

// MaxProblems bounds the problems one load reports; a file with more is
// usually the wrong file, and the first fifty say so.
const MaxProblems = 50

// Options say how to read a file.
type Options struct {
	// Now is the clock the defaults are taken from: the school year
	// around it, and the meaning of "today" in dates. The same file and
	// the same local date of Now give the very same world.
	Now time.Time
}

// Problem is one mistake in a world file.
type Problem struct {
	File string
	Line int    // 0 when no line can be named
	Path string // the field, e.g. "schools[0].pupils[2].class"
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Errors is every problem found in one file, by line.
type Errors struct {
	File     string
	Problems []Problem
	// More counts the problems found past MaxProblems.
	More int
}

func (e *Errors) Error() string {
	lines := e.Lines()
	return fmt.Sprintf("world file %s: %d problem(s):\n  %s", e.File,
		len(e.Problems)+e.More, strings.Join(lines, "\n  "))
}

// Lines are the problems as "file:line: field: message" texts, with a last
// line for those left out.
func (e *Errors) Lines() []string {
	out := make([]string, 0, len(e.Problems)+1)
	for _, p := range e.Problems {
		out = append(out, p.String())
	}
	if e.More > 0 {
		out = append(out, fmt.Sprintf("%s: and %d more problem(s)", e.File, e.More))
	}
	return out
}

// problems collects the problems of one load.
type problems struct {
	file string
	list []Problem
	more int
	// broken are the paths whose values could not be read; later checks
	// say nothing more about them or what lies in or around them, so that
	// one mistake makes one problem.
	broken []string
}

func (p *problems) add(line int, path, msg string) {
	for _, b := range p.broken {
		if within(path, b) || within(b, path) {
			return
		}
	}
	if len(p.list) >= MaxProblems {
		p.more++
		return
	}
	p.list = append(p.list, Problem{File: p.file, Line: line, Path: path, Msg: msg})
}

// within reports whether path is inner or the same as outer.
func within(path, outer string) bool {
	return path == outer || strings.HasPrefix(path, outer+".") ||
		strings.HasPrefix(path, outer+"[")
}

func (p *problems) full() bool { return len(p.list) >= MaxProblems }

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	sort.SliceStable(p.list, func(i, j int) bool { return p.list[i].Line < p.list[j].Line })
	return &Errors{File: p.file, Problems: p.list, More: p.more}
}

// LoadFile reads and loads the world file at path; problems name the path
// as given, and a file that cannot be read is one.
func LoadFile(path string, o Options) (*school.World, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Errors{File: path, Problems: []Problem{{File: path,
			Msg: "cannot read the file: " + err.Error()}}}
	}
	return Load(path, data, o)
}

// Load turns the text of a world file into a world. name is what problems
// call the file. On any problem it returns *Errors and no world.
func Load(name string, data []byte, o Options) (*school.World, error) {
	if o.Now.IsZero() {
		return nil, errors.New("world: options need a current time")
	}
	probs := &problems{file: name}
	doc, lines, ok := parse(data, probs)
	if !ok {
		return nil, probs.err()
	}
	b := newBuilder(doc, lines, probs, school.DateOf(o.Now))
	w := b.build()
	if err := probs.err(); err != nil {
		return nil, err
	}
	w.Source = fingerprint(doc)
	return w, nil
}

// parse reads the YAML into the document types.
func parse(data []byte, probs *problems) (*fileDoc, *decoder, bool) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := yamlError(err)
		probs.add(line, "", msg)
		return nil, nil, false
	}
	d := &decoder{probs: probs, lines: map[string]int{}}
	doc := &fileDoc{}
	if root.Kind == 0 {
		probs.add(0, "", "the file is empty: want a mapping with schools")
		return nil, nil, false
	}
	d.decode(&root, reflect.ValueOf(doc).Elem(), "")
	return doc, d, true
}

// yamlError takes the line out of the YAML parser's error text
// ("yaml: line 3: did not find expected key").
func yamlError(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		_, rest, _ := strings.Cut(msg, ":")
		return line, "not valid YAML:" + rest
	}
	return 0, "not valid YAML: " + msg
}

// fingerprint is a hash of what a file says, not of how it says it:
// comments, spacing, quoting, the order of keys (but not of list items or
// grades) and YAML or JSON make no difference. A
// store keeps it with the world (school.World.Source), so that a server
// started again on the same file knows the data is already there.
//
// TODO: the fingerprint is of the file, not of the opensom that read it:
// when a later opensom fills in other defaults, a database made by an
// earlier one still counts as holding the file's world and keeps the old
// defaults until a reset.
func fingerprint(doc *fileDoc) string {
	b, err := json.Marshal(doc)
	if err != nil {
		// The document types are plain data; Marshal cannot fail on them.
		panic(fmt.Sprintf("world: fingerprint: %v", err))
	}
	sum := sha256.Sum256(b)
	return "world-file:" + hex.EncodeToString(sum[:])
}
