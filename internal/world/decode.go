package world

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder turns a YAML node tree into the document types by their yaml
// tags. Unlike yaml.Node.Decode it goes on after a mistake, so that one
// load reports every problem, and it writes down the line of every path it
// sees, so that the checks after decoding can name lines too.
type decoder struct {
	probs *problems
	lines map[string]int // path -> line of its key or item
	nodes int            // values read so far, aliases counted each time
}

// maxNodes bounds the values one file may hold, counting each use of an
// alias, so that a few lines of nested aliases cannot make billions.
const maxNodes = 5_000_000

// nodeDecoder is a document type that reads its own node: a value that
// may be written short (a name as one string, a list as one item).
type nodeDecoder interface {
	decodeNode(d *decoder, n *yaml.Node, path string)
}

var nodeDecoderType = reflect.TypeFor[nodeDecoder]()

// at records a value at path that could not be read.
func (d *decoder) at(n *yaml.Node, path, format string, args ...any) {
	d.probs.add(n.Line, path, fmt.Sprintf(format, args...))
	d.probs.broken = append(d.probs.broken, path)
}

// keyAt records a problem with a key, which leaves no value broken.
func (d *decoder) keyAt(n *yaml.Node, path, format string, args ...any) {
	d.probs.add(n.Line, path, fmt.Sprintf(format, args...))
}

// line is the line of path, or of the nearest enclosing path that has one.
func (d *decoder) line(path string) int {
	for path != "" {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.nodes++; d.nodes > maxNodes {
		if d.nodes == maxNodes+1 {
			d.at(n, path, "the file holds more than %d values (aliases count each time "+
				"they are used)", maxNodes)
		}
		return
	}
	for n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if v.CanAddr() && v.Addr().Type().Implements(nodeDecoderType) {
		v.Addr().Interface().(nodeDecoder).decodeNode(d, n, path)
		return
	}
	if isNull(n) && v.Kind() != reflect.Slice && v.Kind() != reflect.Map {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		d.decode(n, v.Elem(), path)
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		d.decodeSlice(n, v, path)
	case reflect.Map:
		d.decodeMap(n, v, path)
	case reflect.String:
		if s, ok := d.scalar(n, path, "a text"); ok {
			v.SetString(s)
		}
	case reflect.Int, reflect.Int64:
		s, ok := d.scalar(n, path, "a whole number")
		if !ok {
			return
		}
		i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
		if err != nil || n.Tag == "!!str" {
			d.at(n, path, "want a whole number, got %q", s)
			return
		}
		v.SetInt(i)
	case reflect.Bool:
		s, ok := d.scalar(n, path, "true or false")
		if !ok {
			return
		}
		if n.Tag != "!!bool" {
			d.at(n, path, "want true or false, got %q", s)
			return
		}
		v.SetBool(s == "true" || s == "True" || s == "TRUE")
	default:
		panic(fmt.Sprintf("world: no decoder for %s", v.Type()))
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// scalar is a scalar node's text; anything else is a problem.
func (d *decoder) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.at(n, path, "want %s, got %s", want, kindName(n))
		return "", false
	}
	return n.Value, true
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a value"
}

// field is one key of a struct: its index path, for inlined structs.
type field struct {
	index []int
}

// fields lists the keys of a struct type, with those of ",inline" fields
// lifted up.
func fields(t reflect.Type) map[string]field {
	out := map[string]field{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		if opt == "inline" {
			for k, sub := range fields(f.Type) {
				out[k] = field{index: append([]int{i}, sub.index...)}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = field{index: []int{i}}
	}
	return out
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.at(n, path, "want a mapping, got %s", kindName(n))
		return
	}
	known := fields(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		d.lines[p] = k.Line
		f, ok := known[k.Value]
		switch {
		case k.Kind != yaml.ScalarNode:
			d.keyAt(k, path, "a key must be a plain name")
		case !ok:
			d.keyAt(k, p, "unknown field")
		case seen[k.Value]:
			d.keyAt(k, p, "given twice")
		default:
			seen[k.Value] = true
			d.decode(val, v.FieldByIndex(f.index), p)
		}
	}
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.at(n, path, "want a list, got %s", kindName(n))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.lines[p] = item.Line
		d.decode(item, out.Index(i), p)
	}
	v.Set(out)
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.at(n, path, "want a mapping, got %s", kindName(n))
		return
	}
	out := reflect.MakeMap(v.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		d.lines[p] = k.Line
		if out.MapIndex(reflect.ValueOf(k.Value)).IsValid() {
			d.keyAt(k, p, "given twice")
			continue
		}
		e := reflect.New(v.Type().Elem()).Elem()
		d.decode(val, e, p)
		out.SetMapIndex(reflect.ValueOf(k.Value), e)
	}
	v.Set(out)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// strList is a list of names that may be written as one name.
type strList []string

func (l *strList) decodeNode(d *decoder, n *yaml.Node, path string) {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		*l = strList{n.Value}
		return
	}
	var s []string
	d.decodeSlice(n, reflect.ValueOf(&s).Elem(), path)
	*l = s
}

// nameDoc is a person's name: one string ("Jan van der Berg") split at
// the Dutch prefixes, or a mapping with first, prefix and last.
type nameDoc struct {
	First  string `yaml:"first"`
	Prefix string `yaml:"prefix"`
	Last   string `yaml:"last"`
}

func (nd *nameDoc) decodeNode(d *decoder, n *yaml.Node, path string) {
	if n.Kind == yaml.MappingNode {
		type plain nameDoc // without the method, so decode takes the fields
		d.decodeStruct(n, reflect.ValueOf((*plain)(nd)).Elem(), path)
		return
	}
	if isNull(n) {
		return
	}
	if s, ok := d.scalar(n, path, "a name"); ok {
		*nd = splitName(s)
	}
}

// prefixes are the tussenvoegsels that splitName recognises.
var prefixes = map[string]bool{
	"van": true, "de": true, "der": true, "den": true, "het": true, "'t": true,
	"ter": true, "ten": true, "te": true, "in": true, "op": true, "'s": true,
	"d'": true, "la": true, "le": true, "du": true, "von": true, "vd": true,
}

// splitName reads "Jan van der Berg" as first name Jan, prefix "van der"
// and last name Berg: the first word is the first name, the lower-case
// prefixes after it are the prefix, and the rest is the last name.
//
// TODO: a double first name ("Anna Maria Visser") comes out as first name
// Anna and last name "Maria Visser"; such names need the mapping form
// ({first, prefix, last}), which the docs say but a reader may miss.
func splitName(s string) nameDoc {
	w := strings.Fields(s)
	if len(w) == 0 {
		return nameDoc{}
	}
	n := nameDoc{First: w[0]}
	i := 1
	for i < len(w)-1 && prefixes[w[i]] {
		i++
	}
	n.Prefix = strings.Join(w[1:i], " ")
	n.Last = strings.Join(w[i:], " ")
	return n
}

func (nd nameDoc) String() string {
	return strings.Join(strings.Fields(nd.First+" "+nd.Prefix+" "+nd.Last), " ")
}

// gradeNum is a grade value in tenths, written as 7.8, 7,8 or 8.
type gradeNum struct {
	Tenths int
	Set    bool
}

func (g *gradeNum) decodeNode(d *decoder, n *yaml.Node, path string) {
	s, ok := d.scalar(n, path, "a grade such as 7.8")
	if !ok {
		return
	}
	t, err := parseTenths(s)
	if err != nil {
		d.at(n, path, "%v", err)
		return
	}
	*g = gradeNum{Tenths: t, Set: true}
}

// parseTenths reads a grade with at most one decimal, with a dot or a
// comma, from 1.0 to 10.0.
func parseTenths(s string) (int, error) {
	f, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("want a grade such as 7.8, got %q", s)
	}
	t := math.Round(f * 10)
	if math.Abs(f*10-t) > 1e-6 {
		return 0, fmt.Errorf("grade %s has more than one decimal", s)
	}
	if t < 10 || t > 100 {
		return 0, fmt.Errorf("grade %s out of range 1.0 to 10.0", s)
	}
	return int(t), nil
}

// gradeNums are re-sit values: one grade or a list of them.
type gradeNums []gradeNum

func (l *gradeNums) decodeNode(d *decoder, n *yaml.Node, path string) {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		var g gradeNum
		g.decodeNode(d, n, path)
		*l = gradeNums{g}
		return
	}
	var gs []gradeNum
	d.decodeSlice(n, reflect.ValueOf(&gs).Elem(), path)
	*l = gs
}

// gradeDoc is one pupil's result in a test: a number ("7.8"), a label
// ("V"), or a mapping with the details.
type gradeDoc struct {
	Value       gradeNum  `yaml:"value"`
	Label       string    `yaml:"label"`
	Date        string    `yaml:"date"`
	NotMade     bool      `yaml:"notMade"`
	Exempt      bool      `yaml:"exempt"`
	NotCounting bool      `yaml:"notCounting"`
	Resit       gradeNums `yaml:"resit"`
	ResitDate   string    `yaml:"resitDate"`
}

func (g *gradeDoc) decodeNode(d *decoder, n *yaml.Node, path string) {
	if n.Kind == yaml.MappingNode {
		type plain gradeDoc
		d.decodeStruct(n, reflect.ValueOf((*plain)(g)).Elem(), path)
		return
	}
	s, ok := d.scalar(n, path, "a grade, a label or a mapping")
	if !ok || isNull(n) {
		if ok {
			d.at(n, path, "want a grade, a label or a mapping, got nothing")
		}
		return
	}
	if looksNumeric(s) {
		g.Value.decodeNode(d, n, path)
		return
	}
	g.Label = s
}

// looksNumeric: digits with at most one dot or comma, as a grade is
// written; anything else is a label.
func looksNumeric(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' && r != '-' && r != '+' {
			return false
		}
	}
	return true
}

// gradeEntry is one pupil's grade in a test, by pupil reference.
type gradeEntry struct {
	Pupil string
	Path  string
	Grade gradeDoc
}

// gradeMap keeps the grades of a test in file order.
type gradeMap []gradeEntry

func (m *gradeMap) decodeNode(d *decoder, n *yaml.Node, path string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.at(n, path, "want a mapping of pupil to grade, got %s", kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		d.lines[p] = k.Line
		if seen[k.Value] {
			d.keyAt(k, p, "given twice")
			continue
		}
		seen[k.Value] = true
		e := gradeEntry{Pupil: k.Value, Path: p}
		e.Grade.decodeNode(d, val, p)
		*m = append(*m, e)
	}
}
