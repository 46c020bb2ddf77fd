package alidomain

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/alidomain/alidomain/internal/credsrc"
)

// Environment variables of the CLI's config file.
const (
	EnvConfigFile         = "ALIBABA_CLOUD_CONFIG_FILE"          // default ~/.aliyun/config.json
	EnvCLIProfileDisabled = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED" // "true" skips it
)

// profileKind is what a profile in a credentials file asks for.
type profileKind int

const (
	profileStatic profileKind = iota // an AccessKey, maybe with an STS token
	profileECS                       // the ECS instance's RAM role
	profileAssume                    // AssumeRole, from an AccessKey or another profile
	profileOIDC                      // AssumeRoleWithOIDC
)

// profileSpec is a profile of a credentials file, parsed. Its String shows
// no secret.
type profileSpec struct {
	kind   profileKind
	creds  Credentials  // profileStatic, and the AccessKey of profileAssume
	source *profileSpec // profileAssume chained from another profile
	ecs    ECSRoleOptions
	assume AssumeRoleOptions // Source is filled in by provider
	oidc   OIDCOptions
}

// String describes the profile without its secrets.
func (p profileSpec) String() string {
	return fmt.Sprintf("profile{kind: %d, creds: %v}", int(p.kind), p.creds)
}

// Format prints String whatever the verb.
func (p profileSpec) Format(f fmt.State, verb rune) { formatString(f, verb, p.String()) }

// valid reports whether p has what its kind needs.
func (p profileSpec) valid() bool {
	switch p.kind {
	case profileStatic:
		return p.creds.valid()
	case profileECS:
		return true
	case profileAssume:
		return p.assume.RoleARN != "" && (p.creds.valid() || p.source != nil && p.source.valid())
	case profileOIDC:
		return p.oidc.RoleARN != "" && p.oidc.OIDCProviderARN != "" && p.oidc.OIDCTokenFile != ""
	}
	return false
}

// provider builds the provider p describes.
func (p profileSpec) provider() CredentialsProvider {
	switch p.kind {
	case profileECS:
		o := p.ecs
		if o.Endpoint == "" {
			o.Endpoint = defaultECSEndpoint
		}
		return ECSRoleCredentials(o)
	case profileAssume:
		o := p.assume
		if p.source != nil {
			o.Source = p.source.provider()
		} else {
			o.Source = staticProvider(p.creds)
		}
		if o.Endpoint == "" {
			o.Endpoint = defaultSTSEndpointOverride
		}
		return AssumeRoleCredentials(o)
	case profileOIDC:
		o := p.oidc
		if o.Endpoint == "" {
			o.Endpoint = defaultSTSEndpointOverride
		}
		return OIDCCredentials(o)
	}
	return staticProvider(p.creds)
}

// Endpoints the sources of DefaultCredentials and of files use; tests point
// them at fakes. An empty STS endpoint means the environment's choice.
var (
	defaultECSEndpoint         = defaultMetadataEndpoint
	defaultSTSEndpointOverride = ""
)

// parseINICredentials reads the profile (default "default") from an INI
// credentials file. name is only used in errors.
func parseINICredentials(name string, data []byte, profile string) (profileSpec, error) {
	if profile == "" {
		profile = "default"
	}
	fail := func(format string, a ...any) (profileSpec, error) {
		return profileSpec{}, fmt.Errorf("alidomain: credentials file %s: "+format, append([]any{name}, a...)...)
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
			v = strings.TrimSpace(v)
			if !strings.HasPrefix(v, `"`) {
				v = stripComment(v)
			}
			cur[strings.TrimSpace(k)] = strings.Trim(v, `"`)
		}
	}
	if err := sc.Err(); err != nil {
		return fail("%v", err)
	}
	sec, ok := sections[profile]
	if !ok { // ALIBABA_CLOUD_PROFILE may name a profile of the other file
		return profileSpec{}, absent(fmt.Sprintf("alidomain: credentials file %s: no profile [%s]", name, profile))
	}
	need := func(keys ...string) error {
		for _, k := range keys {
			if sec[k] == "" {
				return fmt.Errorf("alidomain: credentials file %s: profile [%s] has no %s", name, profile, k)
			}
		}
		return nil
	}
	var p profileSpec
	switch t := sec["type"]; {
	case t == "access_key" || t == "" && sec["access_key_id"] != "":
		if err := need("access_key_id", "access_key_secret"); err != nil {
			return p, err
		}
		p.creds = Credentials{AccessKeyID: sec["access_key_id"], AccessKeySecret: sec["access_key_secret"], SecurityToken: sec["security_token"]}
	case t == "ecs_ram_role":
		p.kind, p.ecs = profileECS, ECSRoleOptions{RoleName: sec["role_name"]}
	case t == "ram_role_arn":
		if err := need("access_key_id", "access_key_secret", "role_arn"); err != nil {
			return p, err
		}
		p.kind = profileAssume
		p.creds = Credentials{AccessKeyID: sec["access_key_id"], AccessKeySecret: sec["access_key_secret"]}
		p.assume = AssumeRoleOptions{RoleARN: sec["role_arn"], RoleSessionName: sec["role_session_name"], Policy: sec["policy"], ExternalID: sec["external_id"]}
	case t == "oidc_role_arn":
		if err := need("role_arn", "oidc_provider_arn", "oidc_token_file_path"); err != nil {
			return p, err
		}
		p.kind = profileOIDC
		p.oidc = OIDCOptions{RoleARN: sec["role_arn"], OIDCProviderARN: sec["oidc_provider_arn"], OIDCTokenFile: sec["oidc_token_file_path"],
			RoleSessionName: sec["role_session_name"], Policy: sec["policy"]}
	default:
		return fail("profile [%s] has type %q; supported: access_key, ecs_ram_role, ram_role_arn, oidc_role_arn", profile, t)
	}
	return p, nil
}

// stripComment removes a trailing comment: '#' or ';' after a blank.
func stripComment(v string) string {
	for i := 1; i < len(v); i++ {
		if (v[i] == '#' || v[i] == ';') && (v[i-1] == ' ' || v[i-1] == '\t') {
			return strings.TrimSpace(v[:i])
		}
	}
	return v
}

// cliProfile is one profile of the CLI's config.json.
type cliProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	StsToken        string `json:"sts_token"`
	RoleARN         string `json:"ram_role_arn"`
	SessionName     string `json:"ram_session_name"`
	ExpiredSeconds  int    `json:"expired_seconds"`
	StsRegion       string `json:"sts_region"`
	EnableVPC       bool   `json:"enable_vpc"`
	RoleName        string `json:"ram_role_name"`
	SourceProfile   string `json:"source_profile"`
	OIDCTokenFile   string `json:"oidc_token_file"`
	OIDCProviderARN string `json:"oidc_provider_arn"`
	Policy          string `json:"policy"`
	ExternalID      string `json:"external_id"`
}

// cliConfig is the part of the Alibaba Cloud CLI's config.json that holds keys.
type cliConfig struct {
	Current  string       `json:"current"`
	Profiles []cliProfile `json:"profiles"`
}

// parseCLIConfig reads the profile (default: the file's current one) of an
// Alibaba Cloud CLI config.json. name is only used in errors.
func parseCLIConfig(name string, data []byte, profile string) (profileSpec, error) {
	var cfg cliConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		// The JSON error may quote a fragment of the file, which may be a secret.
		return profileSpec{}, fmt.Errorf("alidomain: CLI config %s: not valid JSON", name)
	}
	if profile == "" {
		profile = cfg.Current
	}
	if profile == "" {
		profile = "default"
	}
	return cfg.profile(name, profile, 0)
}

// maxProfileChain bounds ChainableRamRoleArn chains, so a cycle is an error.
const maxProfileChain = 8

// profile parses the named profile; depth counts the chain so far.
func (cfg *cliConfig) profile(name, profile string, depth int) (profileSpec, error) {
	fail := func(format string, a ...any) (profileSpec, error) {
		return profileSpec{}, fmt.Errorf("alidomain: CLI config %s: "+format, append([]any{name}, a...)...)
	}
	var p *cliProfile
	for i := range cfg.Profiles {
		if cfg.Profiles[i].Name == profile {
			p = &cfg.Profiles[i]
			break
		}
	}
	if p == nil {
		if depth > 0 {
			return fail("a source_profile names no profile in the file")
		}
		return profileSpec{}, absent(fmt.Sprintf("alidomain: CLI config %s: no profile %q", name, profile))
	}
	var s profileSpec
	assume := func() (profileSpec, error) {
		if p.RoleARN == "" {
			return fail("profile %q is in %s mode but has no ram_role_arn", profile, p.Mode)
		}
		s.kind = profileAssume
		s.assume = AssumeRoleOptions{RoleARN: p.RoleARN, RoleSessionName: p.SessionName, Policy: p.Policy, ExternalID: p.ExternalID,
			Duration: time.Duration(p.ExpiredSeconds) * time.Second, Endpoint: cliSTSEndpoint(p)}
		return s, nil
	}
	switch p.Mode {
	case "AK", "StsToken":
		s.creds = Credentials{AccessKeyID: p.AccessKeyID, AccessKeySecret: p.AccessKeySecret}
		if p.Mode == "StsToken" {
			if p.StsToken == "" {
				return fail("profile %q is in StsToken mode but has no sts_token", profile)
			}
			s.creds.SecurityToken = p.StsToken
		}
		if !s.creds.valid() {
			return fail("profile %q lacks access_key_id or access_key_secret", profile)
		}
		return s, nil
	case "EcsRamRole":
		s.kind, s.ecs = profileECS, ECSRoleOptions{RoleName: p.RoleName}
		return s, nil
	case "RamRoleArn":
		s.creds = Credentials{AccessKeyID: p.AccessKeyID, AccessKeySecret: p.AccessKeySecret}
		if !s.creds.valid() {
			return fail("profile %q lacks access_key_id or access_key_secret", profile)
		}
		return assume()
	case "ChainableRamRoleArn":
		if p.SourceProfile == "" {
			return fail("profile %q is in ChainableRamRoleArn mode but has no source_profile", profile)
		}
		if depth+1 >= maxProfileChain {
			return fail("profile %q: the chain of source_profile is longer than %d (a cycle?)", profile, maxProfileChain)
		}
		src, err := cfg.profile(name, p.SourceProfile, depth+1)
		if err != nil {
			return profileSpec{}, err
		}
		s.source = &src
		return assume()
	case "OIDC":
		if p.RoleARN == "" || p.OIDCProviderARN == "" || p.OIDCTokenFile == "" {
			return fail("profile %q is in OIDC mode but lacks ram_role_arn, oidc_provider_arn or oidc_token_file", profile)
		}
		s.kind = profileOIDC
		s.oidc = OIDCOptions{RoleARN: p.RoleARN, OIDCProviderARN: p.OIDCProviderARN, OIDCTokenFile: p.OIDCTokenFile,
			RoleSessionName: p.SessionName, Policy: p.Policy, Duration: time.Duration(p.ExpiredSeconds) * time.Second, Endpoint: cliSTSEndpoint(p)}
		return s, nil
	}
	return fail("profile %q has mode %q; supported: AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC", profile, p.Mode)
}

// cliSTSEndpoint is the STS endpoint a CLI profile asks for; empty: the
// environment's choice.
func cliSTSEndpoint(p *cliProfile) string {
	if p.StsRegion != "" {
		return stsEndpoint(p.StsRegion, p.EnableVPC)
	}
	return ""
}

// fileSource reads a credentials file and builds its provider again only
// when the file changes (its modification time or size), so that rotated
// keys are picked up while cached temporary credentials are kept.
type fileSource struct {
	what  string // "credentials file", "CLI config"
	env   string // the variable that names the file, for errors
	path  func() (path string, explicit bool)
	parse func(name string, data []byte, profile string) (profileSpec, error)

	mu      sync.Mutex
	key     fileKey
	prov    CredentialsProvider
	err     error
	checked bool
}

// String names the file's kind, never its credentials.
func (f *fileSource) String() string { return "alidomain.CredentialsProvider(" + f.what + ")" }

// Format prints String whatever the verb.
func (f *fileSource) Format(s fmt.State, verb rune) { formatString(s, verb, f.String()) }

// fileKey identifies a version of a file, with the profile asked for.
type fileKey struct {
	path, profile string
	mod           time.Time
	size          int64
}

// fail returns the error err about the file at path, naming the variable
// that named it.
func (f *fileSource) fail(path string, explicit bool, err error) error {
	from := ""
	if explicit && f.env != "" {
		from = " (from " + f.env + ")"
	}
	return fmt.Errorf("alidomain: %s %s%s: %w", f.what, path, from, err)
}

// provider returns the provider of the file's profile, or errNotFound (as
// an absent source) when the file does not exist and was not named. A file
// that is not a regular file of at most 1 MiB is an error, and reading it
// gives up when ctx ends.
func (f *fileSource) provider(ctx context.Context) (CredentialsProvider, error) {
	path, explicit := f.path()
	if path == "" {
		return nil, absent(f.what + ": no home directory")
	}
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return nil, absent(fmt.Sprintf("%s %s does not exist", f.what, path))
		}
		return nil, f.fail(path, explicit, err)
	}
	if err := credsrc.CheckFile(st); err != nil {
		return nil, f.fail(path, explicit, err)
	}
	key := fileKey{path: path, profile: os.Getenv(EnvProfile), mod: st.ModTime(), size: st.Size()}
	f.mu.Lock()
	if f.checked && f.key == key {
		defer f.mu.Unlock()
		return f.prov, f.err
	}
	f.mu.Unlock()
	// Read without the lock, so that a caller whose context ends is not
	// held behind another's slow read.
	data, err := credsrc.ReadFile(ctx, path)
	if err != nil {
		return nil, f.fail(path, explicit, err)
	}
	spec, err := f.parse(path, data, key.profile)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.checked && f.key == key { // another caller read this version first: share its provider
		return f.prov, f.err
	}
	f.key, f.checked = key, true
	f.prov, f.err = nil, err
	if err == nil {
		f.prov = spec.provider()
	}
	return f.prov, f.err
}

// Credentials returns the credentials of the file's profile.
func (f *fileSource) Credentials(ctx context.Context) (Credentials, error) {
	p, err := f.provider(ctx)
	if err != nil {
		return Credentials{}, err
	}
	return p.Credentials(ctx)
}
