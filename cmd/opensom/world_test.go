package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeBadWorld: serve stops before it listens when the world file has
// problems, naming each with its line.
func TestServeBadWorld(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("schools:\n  - name: x\n    colour: red\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve", "--world", path, "--db", ":memory:",
		"--addr", "127.0.0.1:0"}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), path+":3: schools[0].colour: unknown field") {
		t.Fatalf("serve = %v, want the file's problem", err)
	}
	if strings.Contains(out.String(), "opensom at") {
		t.Errorf("serve got as far as listening: %s", out.String())
	}
}

// TestAccountsWorld: `opensom accounts --world` lists the file's accounts
// with the passwords the file gave them.
func TestAccountsWorld(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"accounts", "--json", "--db", ":memory:",
		"--world", "../../examples/minimal.yaml"}, &out, &errOut)
	if err != nil {
		t.Fatalf("accounts: %v\n%s", err, errOut.String())
	}
	var list []struct {
		Username string  `json:"username"`
		Password *string `json:"password"`
		Role     string  `json:"role"`
	}
	if err := json.Unmarshal(out.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Role != "leerling" || list[0].Password == nil ||
		*list[0].Password != "appel-peer-12" {
		t.Errorf("accounts = %s, want the one pupil of examples/minimal.yaml", out.String())
	}
}
