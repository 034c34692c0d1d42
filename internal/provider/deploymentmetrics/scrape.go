package deploymentmetrics

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/rest"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/enginemetrics"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
)

const (
	// maxExposition bounds what one scrape reads (vLLM with many LoRA adapters or long
	// bucket lists writes a few hundred KiB).
	maxExposition = 32 << 20
	scrapeTimeout = 15 * time.Second
	// accept asks for the classic text format; engines that also speak OpenMetrics keep to it.
	accept = "text/plain;version=0.0.4;q=1,*/*;q=0.1"
)

// scraper reads pods' metrics through the API server's pods/proxy subresource, so it needs no
// route to the pod network: only RBAC "get" on pods/proxy.
type scraper struct {
	client *kube.Client
	http   *http.Client
	path   string
}

func newScraper(client *kube.Client, path string) (*scraper, error) {
	hc, err := rest.HTTPClientFor(client.REST)
	if err != nil {
		return nil, fmt.Errorf("building the API server HTTP client: %w", err)
	}
	return &scraper{client: client, http: hc, path: path}, nil
}

// scrapeResult is one pod's exposition and when it was read.
type scrapeResult struct {
	sample enginemetrics.Sample
	at     time.Time
	err    error
}

// round scrapes every target at once.
func (s *scraper) round(ctx context.Context, targets []target) []scrapeResult {
	out := make([]scrapeResult, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() { out[i] = s.one(ctx, t) })
	}
	wg.Wait()
	return out
}

func (s *scraper) one(ctx context.Context, t target) scrapeResult {
	if t.pod.Status.Phase != corev1.PodRunning || t.pod.Status.PodIP == "" {
		return scrapeResult{err: fmt.Errorf("pod is %s without an IP yet: nothing to scrape", t.pod.Status.Phase)}
	}
	ctx, cancel := context.WithTimeout(ctx, scrapeTimeout)
	defer cancel()
	u := s.client.Typed.CoreV1().RESTClient().Get().
		Namespace(t.pod.Namespace).Resource("pods").SubResource("proxy").
		Name(fmt.Sprintf("%s:%d", t.pod.Name, t.port)).Suffix(s.path).URL()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return scrapeResult{err: err}
	}
	req.Header.Set("Accept", accept)
	resp, err := s.http.Do(req)
	if err != nil {
		return scrapeResult{err: fmt.Errorf("GET %s through the API server: %w", s.where(t), err)}
	}
	defer func() { _ = resp.Body.Close() }()
	at := time.Now()
	body := io.LimitReader(resp.Body, maxExposition)
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(body, 512))
		return scrapeResult{err: fmt.Errorf("GET %s through the API server: HTTP %d: %s%s", s.where(t), resp.StatusCode,
			strings.TrimSpace(string(msg)), hint(resp.StatusCode))}
	}
	fams, err := enginemetrics.Parse(body, resp.Header)
	if err != nil {
		return scrapeResult{err: fmt.Errorf("%s: %w", s.where(t), err)}
	}
	sample, ok := enginemetrics.Extract(fams)
	if !ok {
		return scrapeResult{err: fmt.Errorf("%s serves no metrics of a known engine (vllm:, sglang:, trtllm_, dynamo_frontend_, llamacpp:, ray_vllm_)", s.where(t))}
	}
	return scrapeResult{sample: sample, at: at}
}

func (s *scraper) where(t target) string { return fmt.Sprintf("%s:%d%s", t.pod.Name, t.port, s.path) }

func hint(status int) string {
	switch status {
	case http.StatusForbidden:
		return " (the provider's identity needs \"get\" on pods/proxy in this namespace)"
	case http.StatusNotImplemented:
		return " (llama-server serves /metrics only when started with --metrics or LLAMA_ARG_ENDPOINT_METRICS=1)"
	}
	return ""
}
