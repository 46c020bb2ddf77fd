package alidomain

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Credentials are an AccessKey pair and, for STS, a security token. Its
// String, GoString and LogValue methods never show the secret or the token.
type Credentials struct {
	// AccessKeyID identifies the key; it is not secret and is sent in clear.
	AccessKeyID string
	// AccessKeySecret signs requests; it never leaves this process.
	AccessKeySecret string
	// SecurityToken is the STS token, sent as SecurityToken when not empty.
	SecurityToken string
}

const redacted = "[REDACTED]"

// String returns the AccessKeyID with the secret and the token redacted.
func (c Credentials) String() string {
	s := "Credentials{AccessKeyID: " + c.AccessKeyID + ", AccessKeySecret: " + redactedOrEmpty(c.AccessKeySecret)
	if c.SecurityToken != "" {
		s += ", SecurityToken: " + redacted
	}
	return s + "}"
}

// GoString is like String, so that %#v redacts too.
func (c Credentials) GoString() string { return "alidomain." + c.String() }

// LogValue makes slog log the AccessKeyID only.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key_id", c.AccessKeyID),
		slog.String("access_key_secret", redactedOrEmpty(c.AccessKeySecret)),
		slog.Bool("security_token", c.SecurityToken != ""),
	)
}

func redactedOrEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return redacted
}

// valid reports whether c has both halves of an AccessKey.
func (c Credentials) valid() bool { return c.AccessKeyID != "" && c.AccessKeySecret != "" }

// CredentialsProvider supplies credentials for a call. The Client asks once
// per call, so a provider may rotate STS tokens between calls.
type CredentialsProvider interface {
	// Credentials returns the credentials to sign with, or an error that
	// explains what is missing (never including a secret).
	Credentials(ctx context.Context) (Credentials, error)
}

// CredentialsProviderFunc adapts a function to CredentialsProvider. Printing
// one shows only an address, so it cannot leak what it captures.
type CredentialsProviderFunc func(ctx context.Context) (Credentials, error)

// Credentials calls f.
func (f CredentialsProviderFunc) Credentials(ctx context.Context) (Credentials, error) {
	return f(ctx)
}

// StaticCredentials returns a provider of a fixed AccessKey pair.
func StaticCredentials(id, secret string) CredentialsProvider {
	return staticProvider(Credentials{AccessKeyID: id, AccessKeySecret: secret})
}

// StaticSTSCredentials returns a provider of a fixed AccessKey pair with an
// STS security token.
func StaticSTSCredentials(id, secret, token string) CredentialsProvider {
	return staticProvider(Credentials{AccessKeyID: id, AccessKeySecret: secret, SecurityToken: token})
}

func staticProvider(c Credentials) CredentialsProviderFunc {
	return func(context.Context) (Credentials, error) {
		if !c.valid() {
			return Credentials{}, errors.New("alidomain: static credentials need both an AccessKey ID and secret")
		}
		return c, nil
	}
}

// Environment variables read by EnvCredentials.
const (
	EnvAccessKeyID     = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	EnvAccessKeySecret = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	EnvSecurityToken   = "ALIBABA_CLOUD_SECURITY_TOKEN"
	EnvCredentialsFile = "ALIBABA_CLOUD_CREDENTIALS_FILE"
	EnvProfile         = "ALIBABA_CLOUD_PROFILE"
)

// errNotFound marks a source that holds no credentials, so the next one is tried.
var errNotFound = errors.New("not found")

// EnvCredentials returns a provider that reads ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET and, if set, ALIBABA_CLOUD_SECURITY_TOKEN
// at every call.
func EnvCredentials() CredentialsProvider {
	return CredentialsProviderFunc(func(context.Context) (Credentials, error) {
		c, err := envCredentials()
		if errors.Is(err, errNotFound) {
			return c, fmt.Errorf("alidomain: %s and %s are not set", EnvAccessKeyID, EnvAccessKeySecret)
		}
		return c, err
	})
}

func envCredentials() (Credentials, error) {
	c := Credentials{
		AccessKeyID:     os.Getenv(EnvAccessKeyID),
		AccessKeySecret: os.Getenv(EnvAccessKeySecret),
		SecurityToken:   os.Getenv(EnvSecurityToken),
	}
	switch {
	case c.valid():
		return c, nil
	case c.AccessKeyID == "" && c.AccessKeySecret == "":
		return Credentials{}, errNotFound
	case c.AccessKeyID == "":
		return Credentials{}, fmt.Errorf("alidomain: %s is set but %s is empty", EnvAccessKeySecret, EnvAccessKeyID)
	default:
		return Credentials{}, fmt.Errorf("alidomain: %s is set but %s is empty", EnvAccessKeyID, EnvAccessKeySecret)
	}
}

// DefaultCredentials returns the provider chain most programs want: the
// environment (EnvCredentials), then the INI file ~/.alibabacloud/credentials
// (or ALIBABA_CLOUD_CREDENTIALS_FILE) with the profile ALIBABA_CLOUD_PROFILE or
// "default" of type access_key, then the Alibaba Cloud CLI's
// ~/.aliyun/config.json (its current profile, in AK or StsToken mode).
// Credentials found in a file are read once and kept; the environment is
// read at every call. An unusable file is an error naming the file and the
// problem, never its secret.
func DefaultCredentials() CredentialsProvider {
	var mu sync.Mutex
	var cached Credentials
	return CredentialsProviderFunc(func(context.Context) (Credentials, error) {
		c, err := envCredentials()
		if !errors.Is(err, errNotFound) {
			return c, err
		}
		mu.Lock()
		defer mu.Unlock()
		if cached.valid() {
			return cached, nil
		}
		c, err = fileCredentials()
		if err != nil {
			return Credentials{}, err
		}
		cached = c
		return c, nil
	})
}

// fileCredentials tries the INI credentials file, then the CLI config.
func fileCredentials() (Credentials, error) {
	home, _ := os.UserHomeDir()
	profile := os.Getenv(EnvProfile)
	iniPath, explicit := os.Getenv(EnvCredentialsFile), true
	if iniPath == "" {
		iniPath, explicit = filepath.Join(home, ".alibabacloud", "credentials"), false
	}
	data, err := os.ReadFile(iniPath)
	switch {
	case err == nil:
		return parseINICredentials(iniPath, data, profile)
	case !errors.Is(err, fs.ErrNotExist) || explicit:
		return Credentials{}, fmt.Errorf("alidomain: credentials file %s: %w", iniPath, err)
	}
	cliPath := filepath.Join(home, ".aliyun", "config.json")
	data, err = os.ReadFile(cliPath)
	switch {
	case err == nil:
		return parseCLIConfig(cliPath, data, profile)
	case !errors.Is(err, fs.ErrNotExist):
		return Credentials{}, fmt.Errorf("alidomain: CLI config %s: %w", cliPath, err)
	}
	return Credentials{}, fmt.Errorf("alidomain: no credentials: set %s and %s, or create %s or %s",
		EnvAccessKeyID, EnvAccessKeySecret, iniPath, cliPath)
}

// parseINICredentials reads the profile (default "default") from an INI
// credentials file. name is only used in errors.
func parseINICredentials(name string, data []byte, profile string) (Credentials, error) {
	if profile == "" {
		profile = "default"
	}
	fail := func(format string, a ...any) (Credentials, error) {
		return Credentials{}, fmt.Errorf("alidomain: credentials file %s: "+format, append([]any{name}, a...)...)
	}
	sections := map[string]map[string]string{}
	var cur map[string]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[':
			if !strings.HasSuffix(line, "]") {
				return fail("line %d: a section header must end with ']'", n)
			}
			sec := strings.TrimSpace(line[1 : len(line)-1])
			if sections[sec] == nil {
				sections[sec] = map[string]string{}
			}
			cur = sections[sec]
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return fail("line %d: expected key = value", n)
			}
			if cur == nil {
				return fail("line %d: key outside of any [profile] section", n)
			}
			cur[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	if err := sc.Err(); err != nil {
		return fail("%v", err)
	}
	sec, ok := sections[profile]
	if !ok {
		return fail("no profile [%s]", profile)
	}
	if t := sec["type"]; t != "access_key" && !(t == "" && sec["access_key_id"] != "") {
		return fail("profile [%s] has type %q; only type = access_key is supported", profile, t)
	}
	c := Credentials{AccessKeyID: sec["access_key_id"], AccessKeySecret: sec["access_key_secret"], SecurityToken: sec["security_token"]}
	if c.AccessKeyID == "" {
		return fail("profile [%s] has no access_key_id", profile)
	}
	if c.AccessKeySecret == "" {
		return fail("profile [%s] has no access_key_secret", profile)
	}
	return c, nil
}

// cliConfig is the part of the Alibaba Cloud CLI's config.json that holds keys.
type cliConfig struct {
	Current  string `json:"current"`
	Profiles []struct {
		Name            string `json:"name"`
		Mode            string `json:"mode"`
		AccessKeyID     string `json:"access_key_id"`
		AccessKeySecret string `json:"access_key_secret"`
		StsToken        string `json:"sts_token"`
	} `json:"profiles"`
}

// parseCLIConfig reads the profile (default: the file's current one) of an
// Alibaba Cloud CLI config.json. name is only used in errors.
func parseCLIConfig(name string, data []byte, profile string) (Credentials, error) {
	fail := func(format string, a ...any) (Credentials, error) {
		return Credentials{}, fmt.Errorf("alidomain: CLI config %s: "+format, append([]any{name}, a...)...)
	}
	var cfg cliConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		// The JSON error may quote a fragment of the file, which may be a secret.
		return fail("not valid JSON")
	}
	if profile == "" {
		profile = cfg.Current
	}
	if profile == "" {
		profile = "default"
	}
	for _, p := range cfg.Profiles {
		if p.Name != profile {
			continue
		}
		c := Credentials{AccessKeyID: p.AccessKeyID, AccessKeySecret: p.AccessKeySecret}
		switch p.Mode {
		case "AK":
		case "StsToken":
			if p.StsToken == "" {
				return fail("profile %q is in StsToken mode but has no sts_token", profile)
			}
			c.SecurityToken = p.StsToken
		default:
			return fail("profile %q has mode %q; only AK and StsToken are supported", profile, p.Mode)
		}
		if !c.valid() {
			return fail("profile %q lacks access_key_id or access_key_secret", profile)
		}
		return c, nil
	}
	return fail("no profile %q", profile)
}
