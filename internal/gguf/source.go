package gguf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// DefaultEndpoint is the public Hugging Face Hub.
const DefaultEndpoint = "https://huggingface.co"

// Source identifies one GGUF file in a Hugging Face model repository.
type Source struct {
	Endpoint string // Hub base URL; DefaultEndpoint when empty
	Model    string // repo id, e.g. "bartowski/Llama-3.2-1B-Instruct-GGUF"
	Revision string // branch, tag or commit; "main" when empty
	File     string // path of the .gguf file inside the repo
	Token    string // Hub token for gated models; sent as a header, never logged
	Client   *http.Client
}

// ModelInfo is what the Hub says about the file before it is downloaded.
type ModelInfo struct {
	URL    string // resolve URL the bytes are fetched from
	SHA256 string // hex sha256 from the LFS pointer
	Size   int64
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s Source) endpoint() string {
	if s.Endpoint == "" {
		return DefaultEndpoint
	}
	return strings.TrimRight(s.Endpoint, "/")
}

func (s Source) revision() string {
	if s.Revision == "" {
		return "main"
	}
	return s.Revision
}

func (s Source) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return http.DefaultClient
}

func (s Source) validate() error {
	if strings.Count(s.Model, "/") > 1 || s.Model == "" || strings.HasPrefix(s.Model, "/") || strings.HasSuffix(s.Model, "/") {
		return fmt.Errorf("model %q: want a Hugging Face repo id like \"org/name\"", s.Model)
	}
	if !strings.HasSuffix(strings.ToLower(s.File), ".gguf") {
		return fmt.Errorf("file %q: want a .gguf file", s.File)
	}
	if strings.HasPrefix(s.File, "/") || strings.Contains("/"+s.File+"/", "/../") {
		return fmt.Errorf("file %q: want a relative path inside the repository", s.File)
	}
	return nil
}

// escapePath escapes each segment of a slash-separated path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// ResolveURL is where the Hub serves the file's bytes.
func (s Source) ResolveURL() string {
	return fmt.Sprintf("%s/%s/resolve/%s/%s", s.endpoint(), escapePath(s.Model), url.PathEscape(s.revision()), escapePath(s.File))
}

func (s Source) authorize(req *http.Request) {
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
}

type treeEntry struct {
	Type string `json:"type"`
	Path string `json:"path"`
	Size int64  `json:"size"`
	LFS  *struct {
		OID  string `json:"oid"`
		Size int64  `json:"size"`
	} `json:"lfs"`
}

// Info looks the file up in the Hub's tree listing and returns its expected sha256 and size.
func (s Source) Info(ctx context.Context) (*ModelInfo, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	treeURL := fmt.Sprintf("%s/api/models/%s/tree/%s", s.endpoint(), escapePath(s.Model), url.PathEscape(s.revision()))
	if dir := path.Dir(s.File); dir != "." {
		treeURL += "/" + escapePath(dir)
	}
	for next := treeURL; next != ""; {
		entries, link, err := s.getTree(ctx, next)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.Path != s.File {
				continue
			}
			if e.LFS == nil || !sha256Hex.MatchString(e.LFS.OID) {
				return nil, fmt.Errorf("%s/%s@%s: the Hub has no LFS sha256 for this file, so its bytes cannot be verified", s.Model, s.File, s.revision())
			}
			return &ModelInfo{URL: s.ResolveURL(), SHA256: e.LFS.OID, Size: e.LFS.Size}, nil
		}
		next = link
	}
	return nil, fmt.Errorf("%s@%s: file %q not found in the repository", s.Model, s.revision(), s.File)
}

func (s Source) getTree(ctx context.Context, u string) ([]treeEntry, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", err
	}
	s.authorize(req)
	resp, err := s.client().Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("listing %s@%s: %w", s.Model, s.revision(), err)
	}
	defer resp.Body.Close()
	if err := hubStatus(resp, s); err != nil {
		return nil, "", err
	}
	var entries []treeEntry
	if err := json.NewDecoder(resp.Body).Decode(&entries); err != nil {
		return nil, "", fmt.Errorf("listing %s@%s: decoding tree: %w", s.Model, s.revision(), err)
	}
	return entries, nextLink(resp.Header.Get("Link"), resp.Request.URL), nil
}

// nextLink returns the rel="next" target of an RFC 8288 Link header (Hub pagination).
func nextLink(h string, base *url.URL) string {
	for _, part := range strings.Split(h, ",") {
		seg := strings.Split(part, ";")
		if len(seg) < 2 || !strings.Contains(strings.Join(seg[1:], ";"), `rel="next"`) {
			continue
		}
		raw := strings.Trim(strings.TrimSpace(seg[0]), "<>")
		if u, err := base.Parse(raw); err == nil {
			return u.String()
		}
	}
	return ""
}

func hubStatus(resp *http.Response, s Source) error {
	switch {
	case resp.StatusCode == http.StatusOK:
		return nil
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		hint := "set a token in the provider's huggingface block"
		if s.Token != "" {
			hint = "check that the token has access to this gated model"
		}
		return fmt.Errorf("%s@%s: access denied by the Hub (HTTP %d); %s", s.Model, s.revision(), resp.StatusCode, hint)
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%s@%s: not found on the Hub (HTTP 404)", s.Model, s.revision())
	default:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s@%s: Hub returned HTTP %d: %s", s.Model, s.revision(), resp.StatusCode, strings.TrimSpace(string(b)))
	}
}

// Open starts downloading the file's bytes.
func (s Source) Open(ctx context.Context) (io.ReadCloser, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.ResolveURL(), nil)
	if err != nil {
		return nil, 0, err
	}
	s.authorize(req)
	resp, err := s.client().Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("downloading %s/%s: %w", s.Model, s.File, err)
	}
	if err := hubStatus(resp, s); err != nil {
		resp.Body.Close()
		return nil, 0, err
	}
	return resp.Body, resp.ContentLength, nil
}

// ErrChecksumMismatch is returned when the downloaded bytes do not match the Hub's sha256.
var ErrChecksumMismatch = errors.New("model checksum mismatch")
