package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:80": true, "[::1]:8080": true,
		"0.0.0.0:8080": false, ":8080": false, "192.168.1.5:80": false, "[::]:80": false, "nonsense": false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestServeNeedsTokenBeyondLoopback(t *testing.T) {
	cmd := newRootCmd()
	cmd.SetArgs([]string{"serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "0.0.0.0:0"})
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), "--token-file") {
		t.Fatalf("serve beyond loopback without a token: %v", err)
	}
	short := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(short, []byte("abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readToken(short); err == nil {
		t.Error("a 3-character token was accepted")
	}
	good := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(good, []byte("  0123456789abcdef0123\nsecond line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if tok, err := readToken(good); err != nil || tok != "0123456789abcdef0123" {
		t.Errorf("readToken = %q, %v", tok, err)
	}
}

func TestServeRefusesUnsoundSettings(t *testing.T) {
	dir := t.TempDir()
	tok := filepath.Join(dir, "token")
	if err := os.WriteFile(tok, []byte("0123456789abcdef0123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--read-token-file", tok}, "--token-file"},
		{[]string{"--token-file", tok, "--tls-cert", tok}, "--tls-key"},
		{[]string{"--token-file", tok, "--read-token-file", tok}, "read token is the write token"},
	} {
		cmd := newRootCmd()
		cmd.SetArgs(append([]string{"serve", "--db", filepath.Join(dir, "x.db"), "--addr", "127.0.0.1:0"}, c.args...))
		if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("serve %v: %v, want an error naming %s", c.args, err, c.want)
		}
	}
	if got := loopbackHosts("127.0.0.1:8080"); strings.Join(got, ",") != "localhost,127.0.0.1,::1,127.0.0.1" {
		t.Errorf("loopbackHosts = %v", got)
	}
}
