package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestGoreleaserConfig checks .goreleaser.yaml against the code it builds:
// the main package, the -X variables version.go declares, archives per
// OS/arch and a checksum file. goreleaser check, when goreleaser is
// installed, validates the file itself.
func TestGoreleaserConfig(t *testing.T) {
	raw, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main    string   `yaml:"main"`
			Binary  string   `yaml:"binary"`
			Env     []string `yaml:"env"`
			Ldflags []string `yaml:"ldflags"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
		} `yaml:"builds"`
		Archives []struct {
			NameTemplate string   `yaml:"name_template"`
			Formats      []string `yaml:"formats"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf("config: %+v", cfg)
	}
	b := cfg.Builds[0]
	if b.Main != "./cmd/chathook" || b.Binary != "chathook" || !contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("build: main %q binary %q env %v", b.Main, b.Binary, b.Env)
	}
	ld := strings.Join(b.Ldflags, " ")
	for _, v := range []string{"main.version=", "main.commit=", "main.date="} {
		if !strings.Contains(ld, "-X "+v) {
			t.Errorf("ldflags %q do not set %s", ld, v)
		}
	}
	if version != "" || commit != "" || date != "" {
		t.Error("version, commit and date must be empty unless set by -ldflags")
	}
	for _, os := range []string{"linux", "darwin", "windows"} {
		if !contains(b.Goos, os) {
			t.Errorf("no %s build", os)
		}
	}
	for _, arch := range []string{"amd64", "arm64"} {
		if !contains(b.Goarch, arch) {
			t.Errorf("no %s build", arch)
		}
	}
	a := cfg.Archives[0]
	if !strings.Contains(a.NameTemplate, "{{ .Os }}") || !strings.Contains(a.NameTemplate, "{{ .Arch }}") || len(a.Formats) == 0 {
		t.Errorf("archive: %+v", a)
	}
	if cfg.Checksum.NameTemplate == "" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum: %+v", cfg.Checksum)
	}
	if _, err := exec.LookPath("goreleaser"); err == nil {
		cmd := exec.Command("goreleaser", "check")
		cmd.Dir = "../.."
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("goreleaser check: %v\n%s", err, out)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
