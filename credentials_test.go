package alidomain

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCredentialsRedaction(t *testing.T) {
	exp := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := Credentials{AccessKeyID: "LTAIid", AccessKeySecret: "the-secret", SecurityToken: "the-token", Expiration: exp}
	var buf bytes.Buffer
	type wrapper struct {
		Name  string
		Creds Credentials
		Ptr   *Credentials
		Any   any
	}
	w := wrapper{"w", c, &c, c}
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("creds", "c", c, "w", w, "p", &c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("creds", "c", c, "w", w, "p", &c)
	js, err := json.Marshal(w)
	require.NoError(t, err)
	jc, err := json.Marshal(c)
	require.NoError(t, err)
	structVerbs := "%+v %#v %d %x" // a variable: vet rejects %d for a struct with strings, fmt does not
	outs := []string{
		c.String(), c.GoString(), fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s %q", c, c, c, c, c),
		fmt.Sprintf("%d %x %X %o %b %e %t %c %U %10.3s %-8v %08d", c, c, c, c, c, c, c, c, c, c, c, c),
		fmt.Sprintf("%v %+v %#v %d %x", &c, &c, &c, &c, &c), fmt.Sprintf(structVerbs, w, w, w, w),
		fmt.Sprintf(structVerbs, []Credentials{c}, map[string]Credentials{"k": c}, []*Credentials{&c}, [1]any{c}),
		buf.String(), string(js), string(jc),
	}
	for _, s := range outs {
		assert.NotContains(t, s, "the-secret")
		assert.NotContains(t, s, "the-token")
		// Hex or base64 of the secret would leak as much.
		assert.NotContains(t, s, fmt.Sprintf("%x", "the-secret"))
	}
	assert.Contains(t, c.String(), "LTAIid")
	assert.Contains(t, c.String(), "2026-12-01T10:00:00Z")
	assert.Contains(t, buf.String(), "LTAIid")
	assert.Contains(t, c.String(), redacted)
	assert.JSONEq(t, `{"AccessKeyID":"LTAIid","AccessKeySecret":"[REDACTED]","SecurityToken":"[REDACTED]","Expiration":"2026-12-01T10:00:00Z"}`, string(jc))
	jc, _ = json.Marshal(Credentials{AccessKeyID: "id"})
	assert.JSONEq(t, `{"AccessKeyID":"id","AccessKeySecret":""}`, string(jc), "an empty secret shows as empty, so a missing one can be seen")
	assert.Equal(t, `"alidomain.Credentials{AccessKeyID: id, AccessKeySecret: \"\"}"`, fmt.Sprintf("%q", Credentials{AccessKeyID: "id"}.GoString()))
}

func TestINITrailingComments(t *testing.T) {
	for in, want := range map[string]string{
		"abc":            "abc",
		"abc # note":     "abc",
		"abc\t; note":    "abc",
		"a#b;c":          "a#b;c",
		"a#b ;c":         "a#b",
		"s3cr#t # c # d": "s3cr#t",
	} {
		assert.Equal(t, want, stripComment(in), in)
	}
}

func TestStaticCredentials(t *testing.T) {
	got, err := StaticCredentials("id", "sec").Credentials(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Credentials{AccessKeyID: "id", AccessKeySecret: "sec"}, got)
	_, err = StaticCredentials("id", "").Credentials(context.Background())
	require.Error(t, err)
	p := StaticSTSCredentials("id", "the-secret", "the-token")
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", p, p, p), "the-secret")
}

func clearEnv(t *testing.T) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, k := range []string{EnvAccessKeyID, EnvAccessKeySecret, EnvSecurityToken, EnvCredentialsFile, EnvProfile,
		EnvConfigFile, EnvCLIProfileDisabled, EnvRoleARN, EnvOIDCProviderARN, EnvOIDCTokenFile, EnvRoleSessionName,
		EnvSTSRegion, EnvVPCEndpointEnabled, EnvECSMetadata, EnvIMDSv1Disabled, EnvCredentialsURI} {
		t.Setenv(k, "")
	}
	// No test may reach the real metadata service at 100.100.100.200.
	t.Setenv(EnvECSMetadataDisabled, "true")
	return home
}

func TestEnvCredentials(t *testing.T) {
	clearEnv(t)
	_, err := EnvCredentials().Credentials(context.Background())
	require.ErrorContains(t, err, EnvAccessKeyID)

	t.Setenv(EnvAccessKeyID, "id")
	_, err = EnvCredentials().Credentials(context.Background())
	require.ErrorContains(t, err, EnvAccessKeySecret)

	t.Setenv(EnvAccessKeySecret, "sec")
	t.Setenv(EnvSecurityToken, "tok")
	got, err := EnvCredentials().Credentials(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Credentials{AccessKeyID: "id", AccessKeySecret: "sec", SecurityToken: "tok"}, got)
}

func writeFile(t *testing.T, path, content string) {
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}

func TestDefaultCredentialsChain(t *testing.T) {
	ctx := context.Background()
	home := clearEnv(t)

	_, err := DefaultCredentials().Credentials(ctx)
	require.ErrorContains(t, err, "no credentials")

	// The INI file alone.
	ini := filepath.Join(home, ".alibabacloud", "credentials")
	writeFile(t, ini, "# comment\n[default]\ntype = access_key   # the kind\naccess_key_id = ini-id ; a comment\naccess_key_secret = ini=secret\n\n[other]\ntype = access_key\naccess_key_id = other-id\naccess_key_secret = other-secret\n")
	got, err := DefaultCredentials().Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, Credentials{AccessKeyID: "ini-id", AccessKeySecret: "ini=secret"}, got)

	// The CLI config, current profile, wins over the INI file (the official order).
	cli := filepath.Join(home, ".aliyun", "config.json")
	writeFile(t, cli, `{"current":"work","profiles":[
		{"name":"default","mode":"AK","access_key_id":"cli-default","access_key_secret":"s0"},
		{"name":"work","mode":"StsToken","access_key_id":"cli-work","access_key_secret":"s1","sts_token":"t1"}]}`)
	got, err = DefaultCredentials().Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, Credentials{AccessKeyID: "cli-work", AccessKeySecret: "s1", SecurityToken: "t1"}, got)

	// A profile only the INI file has: the CLI config passes.
	t.Setenv(EnvProfile, "other")
	got, err = DefaultCredentials().Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, "other-id", got.AccessKeyID)

	// ALIBABA_CLOUD_CLI_PROFILE_DISABLED skips the CLI config.
	t.Setenv(EnvProfile, "")
	t.Setenv(EnvCLIProfileDisabled, "true")
	got, err = DefaultCredentials().Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ini-id", got.AccessKeyID)
	t.Setenv(EnvCLIProfileDisabled, "")

	// ALIBABA_CLOUD_CONFIG_FILE and ALIBABA_CLOUD_CREDENTIALS_FILE choose the files.
	custom := filepath.Join(t.TempDir(), "creds.ini")
	writeFile(t, custom, "[other]\naccess_key_id = custom-id\naccess_key_secret = custom-secret\n")
	t.Setenv(EnvCredentialsFile, custom)
	t.Setenv(EnvConfigFile, filepath.Join(t.TempDir(), "absent.json"))
	t.Setenv(EnvProfile, "other")
	_, err = DefaultCredentials().Credentials(ctx)
	require.ErrorContains(t, err, "absent.json", "a named file that does not exist is an error, not a silent fallback")
	t.Setenv(EnvConfigFile, "")
	require.NoError(t, os.Remove(cli))
	got, err = DefaultCredentials().Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, "custom-id", got.AccessKeyID)

	// The environment wins over everything.
	t.Setenv(EnvAccessKeyID, "env-id")
	t.Setenv(EnvAccessKeySecret, "env-secret")
	got, err = DefaultCredentials().Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, "env-id", got.AccessKeyID)

	// A half-set environment is an error, not a fallback.
	t.Setenv(EnvAccessKeySecret, "")
	_, err = DefaultCredentials().Credentials(ctx)
	require.ErrorContains(t, err, EnvAccessKeySecret)
	t.Setenv(EnvAccessKeyID, "")

	t.Setenv(EnvCredentialsFile, filepath.Join(home, "missing.ini"))
	_, err = DefaultCredentials().Credentials(ctx)
	require.ErrorContains(t, err, "missing.ini")
}

func TestCredentialFileErrorsNameFileNotSecret(t *testing.T) {
	tests := []struct {
		name, content, profile, want string
		cli                          bool
	}{
		{"ini wrong type", "[default]\ntype = rsa_key_pair\naccess_key_id = id\naccess_key_secret = SECRETVALUE\n", "", "type", false},
		{"ini role without arn", "[default]\ntype = ram_role_arn\naccess_key_id = id\naccess_key_secret = SECRETVALUE\n", "", "role_arn", false},
		{"ini oidc without token file", "[default]\ntype = oidc_role_arn\nrole_arn = r\noidc_provider_arn = p\n", "", "oidc_token_file_path", false},
		{"ini no secret", "[default]\ntype = access_key\naccess_key_id = id\n", "", "access_key_secret", false},
		{"ini no profile", "[default]\ntype = access_key\naccess_key_id = id\naccess_key_secret = SECRETVALUE\n", "prod", "no profile [prod]", false},
		{"ini garbage line", "[default]\nSECRETVALUE\n", "", "line 2", false},
		{"ini bad header", "[default\naccess_key_secret = SECRETVALUE\n", "", "line 1", false},
		{"ini key outside section", "access_key_secret = SECRETVALUE\n", "", "outside", false},
		{"cli bad json", `{"profiles":[{"access_key_secret":"SECRETVALUE"`, "", "not valid JSON", true},
		{"cli wrong mode", `{"current":"default","profiles":[{"name":"default","mode":"CloudSSO","access_key_id":"id","access_key_secret":"SECRETVALUE"}]}`, "", "CloudSSO", true},
		{"cli role without arn", `{"current":"default","profiles":[{"name":"default","mode":"RamRoleArn","access_key_id":"id","access_key_secret":"SECRETVALUE"}]}`, "", "ram_role_arn", true},
		{"cli chain without source", `{"current":"default","profiles":[{"name":"default","mode":"ChainableRamRoleArn","ram_role_arn":"r"}]}`, "", "source_profile", true},
		{"cli chain cycle", `{"current":"a","profiles":[{"name":"a","mode":"ChainableRamRoleArn","ram_role_arn":"r","source_profile":"b"},{"name":"b","mode":"ChainableRamRoleArn","ram_role_arn":"r","source_profile":"a"},{"name":"c","mode":"AK","access_key_id":"id","access_key_secret":"SECRETVALUE"}]}`, "", "cycle", true},
		{"cli chain missing source", `{"current":"a","profiles":[{"name":"a","mode":"ChainableRamRoleArn","ram_role_arn":"r","source_profile":"SECRETVALUE"}]}`, "", "source_profile", true},
		{"cli oidc incomplete", `{"current":"default","profiles":[{"name":"default","mode":"OIDC","ram_role_arn":"r"}]}`, "", "oidc_token_file", true},
		{"cli sts without token", `{"current":"default","profiles":[{"name":"default","mode":"StsToken","access_key_id":"id","access_key_secret":"SECRETVALUE"}]}`, "", "sts_token", true},
		{"cli no such profile", `{"current":"x","profiles":[]}`, "", `no profile "x"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.cli {
				_, err = parseCLIConfig("/home/u/.aliyun/config.json", []byte(tt.content), tt.profile)
				require.Error(t, err)
				require.ErrorContains(t, err, "/home/u/.aliyun/config.json")
			} else {
				_, err = parseINICredentials("/home/u/creds", []byte(tt.content), tt.profile)
				require.Error(t, err)
				require.ErrorContains(t, err, "/home/u/creds")
			}
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "SECRETVALUE")
		})
	}
}

// The client signs with what the provider returns, per call.
func TestClientAsksProviderPerCall(t *testing.T) {
	calls := 0
	c, ts := setup(t, func(o *Options) {
		o.Credentials = CredentialsProviderFunc(func(context.Context) (Credentials, error) {
			calls++
			return Credentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret, SecurityToken: fmt.Sprint("tok", calls)}, nil
		})
	})
	ts.reply(actionBatch, 200, okBatch)
	for i := 0; i < 2; i++ {
		_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
		require.NoError(t, err)
	}
	reqs := ts.requests()
	assert.Equal(t, "tok1", reqs[0].Query.Get("SecurityToken"))
	assert.Equal(t, "tok2", reqs[1].Query.Get("SecurityToken"))

	failing, _ := setup(t, func(o *Options) {
		o.Credentials = CredentialsProviderFunc(func(context.Context) (Credentials, error) {
			return Credentials{}, fmt.Errorf("no creds here")
		})
	})
	_, err := failing.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.ErrorContains(t, err, "no creds here")
}
