// Package deploymentmetrics implements the kubefoundry_deployment_metrics data source: live
// engine metrics of a model deployment, read through the API server.
package deploymentmetrics

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/enginemetrics"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/modeldeployment"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

const (
	defaultInterval = 5.0
	defaultPath     = "/metrics"
)

var _ datasource.DataSourceWithConfigure = (*dataSource)(nil)

// NewDataSource returns the kubefoundry_deployment_metrics data source.
func NewDataSource() datasource.DataSource { return &dataSource{} }

type dataSource struct{ data *providerdata.Data }

type model struct {
	ID              types.String  `tfsdk:"id"`
	Namespace       types.String  `tfsdk:"namespace"`
	Name            types.String  `tfsdk:"name"`
	Runtime         types.String  `tfsdk:"runtime"`
	IntervalSeconds types.Float64 `tfsdk:"interval_seconds"`
	Port            types.Int64   `tfsdk:"port"`
	Path            types.String  `tfsdk:"path"`
	Pods            types.List    `tfsdk:"pods"`
	Total           types.Object  `tfsdk:"total"`
}

func (d *dataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_deployment_metrics"
}

func (d *dataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *dataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dataSourceSchema()
}

func (d *dataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.KubeClient(ctx, &resp.Diagnostics)
	if client == nil {
		return
	}
	ns, name := m.Namespace.ValueString(), m.Name.ValueString()
	runtime, obj, err := modeldeployment.FindDeployment(ctx, client, m.Runtime.ValueString(), ns, name)
	if err != nil {
		resp.Diagnostics.AddError("Reading the model deployment failed", err.Error())
		return
	}
	if obj == nil {
		resp.Diagnostics.AddError("Model deployment not found", fmt.Sprintf("no model deployment named %q in namespace %q", name, ns))
		return
	}
	pods, err := modeldeployment.DeploymentPods(ctx, client, runtime, obj)
	if err != nil {
		resp.Diagnostics.AddError("Listing the deployment's pods failed", err.Error())
		return
	}
	var targets []target
	for _, p := range pods {
		if t, ok := targetFor(runtime.ID(), p); ok {
			if !m.Port.IsNull() {
				t.port = int32(m.Port.ValueInt64())
			}
			targets = append(targets, t)
		}
	}
	sort.Slice(targets, func(i, j int) bool { return targets[i].pod.Name < targets[j].pod.Name })
	if len(targets) == 0 {
		resp.Diagnostics.AddError("No pods serve metrics",
			fmt.Sprintf("%s %s/%s has no pods with a metrics port yet (%d pods in all); read it again once they run", runtime.DisplayName(), ns, name, len(pods)))
		return
	}

	interval := defaultInterval
	if !m.IntervalSeconds.IsNull() && !m.IntervalSeconds.IsUnknown() {
		interval = m.IntervalSeconds.ValueFloat64()
	}
	path := defaultPath
	if p := m.Path.ValueString(); p != "" {
		path = p
	}
	sc, err := newScraper(client, path)
	if err != nil {
		resp.Diagnostics.AddError("Reading metrics failed", err.Error())
		return
	}
	stats, errs := collect(ctx, sc, targets, time.Duration(interval*float64(time.Second)))
	if ctx.Err() != nil {
		resp.Diagnostics.AddError("Reading metrics was interrupted", ctx.Err().Error())
		return
	}

	var ok []enginemetrics.Stats
	var failed []string
	podValues := make([]attr.Value, 0, len(targets))
	for i, t := range targets {
		v, diags := podValue(t, stats[i], errs[i])
		resp.Diagnostics.Append(diags...)
		podValues = append(podValues, v)
		if errs[i] != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", t.pod.Name, errs[i]))
		} else {
			ok = append(ok, stats[i])
		}
	}
	if len(ok) == 0 {
		resp.Diagnostics.AddError("No pod's metrics could be read", strings.Join(failed, "\n"))
		return
	}
	if len(failed) > 0 {
		resp.Diagnostics.AddWarning("Some pods' metrics could not be read", "The totals leave them out.\n"+strings.Join(failed, "\n"))
	}
	total, skipped := enginemetrics.Total(ok)
	if skipped > 0 {
		resp.Diagnostics.AddWarning("Latency histograms with different buckets",
			fmt.Sprintf("%d pod histograms had other buckets than the first pod's and are left out of the total percentiles", skipped))
	}
	tflog.Debug(ctx, "deployment metrics read", map[string]any{"pods": len(targets), "failed": len(failed), "engine": total.Engine})

	list, diags := types.ListValue(types.ObjectType{AttrTypes: podAttrTypes()}, podValues)
	resp.Diagnostics.Append(diags...)
	tv := measureValues(total)
	tv["engine"] = types.StringValue(total.Engine)
	tv["pods_scraped"] = types.Int64Value(int64(len(ok)))
	tv["pods_failed"] = types.Int64Value(int64(len(failed)))
	totalObj, diags := types.ObjectValue(totalAttrTypes(), tv)
	resp.Diagnostics.Append(diags...)

	m.ID = types.StringValue(ns + "/" + name)
	m.Runtime = types.StringValue(runtime.ID())
	m.IntervalSeconds = types.Float64Value(interval)
	m.Path = types.StringValue(path)
	m.Pods, m.Total = list, totalObj
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// collect scrapes every target twice, interval apart (once when interval is 0), and returns
// each pod's stats or the error that kept it from being read.
func collect(ctx context.Context, sc *scraper, targets []target, interval time.Duration) ([]enginemetrics.Stats, []error) {
	var first []scrapeResult
	if interval > 0 {
		first = sc.round(ctx, targets)
		select {
		case <-ctx.Done():
		case <-time.After(interval):
		}
	}
	second := sc.round(ctx, targets)
	stats, errs := make([]enginemetrics.Stats, len(targets)), make([]error, len(targets))
	for i := range targets {
		s := second[i]
		if s.err != nil {
			errs[i] = s.err
			continue
		}
		if first == nil || first[i].err != nil {
			// A pod whose first scrape failed still has gauges and since-start latency.
			stats[i] = enginemetrics.Observe(nil, s.sample, 0)
			continue
		}
		stats[i] = enginemetrics.Observe(&first[i].sample, s.sample, s.at.Sub(first[i].at))
	}
	return stats, errs
}

func podValue(t target, s enginemetrics.Stats, err error) (attr.Value, diag.Diagnostics) {
	v := measureValues(s)
	v["name"] = types.StringValue(t.pod.Name)
	v["role"] = types.StringValue(t.role)
	v["engine"] = types.StringValue(s.Engine)
	v["port"] = types.Int64Value(int64(t.port))
	v["error"] = types.StringValue("")
	if err != nil {
		v["error"] = types.StringValue(err.Error())
	}
	return types.ObjectValue(podAttrTypes(), v)
}

func measureValues(s enginemetrics.Stats) map[string]attr.Value {
	f := func(p *float64) attr.Value {
		if p == nil {
			return types.Float64Null()
		}
		return types.Float64Value(*p)
	}
	pct := func(p *enginemetrics.Percentiles, q func(enginemetrics.Percentiles) float64) attr.Value {
		if p == nil {
			return types.Float64Null()
		}
		return types.Float64Value(q(*p))
	}
	p50 := func(p enginemetrics.Percentiles) float64 { return p.P50 }
	p90 := func(p enginemetrics.Percentiles) float64 { return p.P90 }
	p99 := func(p enginemetrics.Percentiles) float64 { return p.P99 }
	return map[string]attr.Value{
		"running_requests":             f(s.Running),
		"waiting_requests":             f(s.Waiting),
		"kv_cache_usage":               f(s.KVCacheUsage),
		"prompt_tokens_per_second":     f(s.PromptTokensPerSecond),
		"generation_tokens_per_second": f(s.GenerationTokensPerSecond),
		"ttft_p50_ms":                  pct(s.TTFT, p50),
		"ttft_p90_ms":                  pct(s.TTFT, p90),
		"ttft_p99_ms":                  pct(s.TTFT, p99),
		"itl_p50_ms":                   pct(s.ITL, p50),
		"itl_p90_ms":                   pct(s.ITL, p90),
		"itl_p99_ms":                   pct(s.ITL, p99),
		"latency_window":               types.StringValue(s.LatencyWindow),
	}
}
