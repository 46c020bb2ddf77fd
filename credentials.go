package alidomain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"
)

// Credentials are an AccessKey pair and, for STS, a security token and its
// expiry. However they are printed (String, GoString, every fmt verb through
// Format, LogValue, MarshalJSON), the secret and the token never show.
type Credentials struct {
	// AccessKeyID identifies the key; it is not secret and is sent in clear.
	AccessKeyID string
	// AccessKeySecret signs requests; it never leaves this process.
	AccessKeySecret string
	// SecurityToken is the STS token, sent as SecurityToken when not empty.
	SecurityToken string
	// Expiration is when temporary credentials stop working; zero means
	// they do not expire.
	Expiration time.Time
}

const redacted = "[REDACTED]"

// String returns the AccessKeyID with the secret and the token redacted.
func (c Credentials) String() string {
	s := "Credentials{AccessKeyID: " + c.AccessKeyID + ", AccessKeySecret: " + redactedOrEmpty(c.AccessKeySecret)
	if c.SecurityToken != "" {
		s += ", SecurityToken: " + redacted
	}
	if !c.Expiration.IsZero() {
		s += ", Expiration: " + c.Expiration.UTC().Format(time.RFC3339)
	}
	return s + "}"
}

// GoString is like String, so that %#v redacts too.
func (c Credentials) GoString() string { return "alidomain." + c.String() }

// Format prints c as String does, whatever the verb and flags (%d and %x
// included), %#v as GoString and %q quoted: fmt never reaches the fields.
func (c Credentials) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, c.GoString())
		return
	}
	formatString(f, verb, c.String())
}

// MarshalJSON writes the AccessKeyID, whether there is a secret and a token
// (as "[REDACTED]"), and the expiry; never the secret or the token.
func (c Credentials) MarshalJSON() ([]byte, error) {
	v := struct {
		AccessKeyID     string
		AccessKeySecret string
		SecurityToken   string     `json:",omitempty"`
		Expiration      *time.Time `json:",omitempty"`
	}{AccessKeyID: c.AccessKeyID}
	if c.AccessKeySecret != "" {
		v.AccessKeySecret = redacted
	}
	if c.SecurityToken != "" {
		v.SecurityToken = redacted
	}
	if !c.Expiration.IsZero() {
		e := c.Expiration.UTC()
		v.Expiration = &e
	}
	return json.Marshal(v)
}

// LogValue makes slog log the AccessKeyID only.
func (c Credentials) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("access_key_id", c.AccessKeyID),
		slog.String("access_key_secret", redactedOrEmpty(c.AccessKeySecret)),
		slog.Bool("security_token", c.SecurityToken != ""),
	}
	if !c.Expiration.IsZero() {
		attrs = append(attrs, slog.Time("expiration", c.Expiration))
	}
	return slog.GroupValue(attrs...)
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
