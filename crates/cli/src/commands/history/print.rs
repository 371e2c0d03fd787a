//! Human-readable history output.

use history::{HistoryStats, InvocationDetail, InvocationSummary, SearchHit};

use crate::output::shorten;

fn when(ms: i64) -> String {
    history::format_time(ms)
}

fn who(agent: Option<&str>) -> &str {
    agent.unwrap_or("general")
}

pub fn summary(item: &InvocationSummary) {
    println!(
        "{}  {:<11}  {:<18}  {}  [{}]",
        when(item.asked_at),
        item.status.as_str(),
        shorten(who(item.agent.as_deref()), 18),
        shorten(&item.prompt_preview, 70),
        item.id
    );
}

pub fn hit(hit: &SearchHit) {
    summary(&hit.invocation);
    // Matches in [brackets]: plain text, so nothing in the history can style the terminal.
    let text: String = hit
        .snippet
        .iter()
        .map(|p| {
            if p.hit {
                format!("[{}]", p.text)
            } else {
                p.text.clone()
            }
        })
        .collect();
    println!("    {}: {}", hit.field, shorten(&text, 150));
}

pub fn detail(d: &InvocationDetail) {
    println!("id:          {}", d.id);
    println!("status:      {}", d.status);
    println!("agent:       {}", who(d.agent.as_deref()));
    if let Some(profile) = &d.profile {
        println!("profile:     {profile}");
    }
    println!("asked:       {}", when(d.asked_at));
    if let Some(first) = d.first_token_at {
        println!("first token: +{} ms", first - d.asked_at);
    }
    if let Some(replied) = d.replied_at {
        println!("replied:     +{} ms", replied - d.asked_at);
    }
    if let Some(id) = &d.port_invocation_id {
        println!("port id:     {id}");
    }
    if let Some(trace) = &d.trace_id {
        println!("trace id:    {trace}");
    }
    for (k, v) in &d.labels {
        println!("label:       {k}={v}");
    }
    println!("\nprompt:\n{}\n", d.prompt);
    for call in &d.tool_calls {
        let took = call
            .duration_ms()
            .map(|ms| format!(" ({ms} ms)"))
            .unwrap_or_default();
        println!(
            "▸ {}{took} {}",
            call.name.as_deref().unwrap_or("(unnamed tool)"),
            shorten(&call.arguments, 120)
        );
        if let Some(result) = &call.result {
            println!("  ↳ {}", shorten(result, 120));
        }
    }
    if !d.answer.is_empty() {
        println!("\n{}", d.answer);
    }
    if let Some(err) = &d.error {
        println!("\nerror[{}]: {}", err.code, err.message);
    }
    println!("\n{} events recorded", d.events.len());
}

pub fn stats(s: &HistoryStats) {
    println!(
        "{} invocations in {} conversations",
        s.invocations, s.conversations
    );
    println!("\nby status:");
    for st in &s.per_status {
        println!("  {:<12} {}", st.status.as_str(), st.count);
    }
    println!("\nby agent:");
    for a in &s.per_agent {
        println!("  {:<24} {}", who(a.agent.as_deref()), a.count);
    }
    println!("\ntools:");
    for t in &s.tools {
        let avg = t
            .avg_duration_ms
            .map(|ms| format!(", avg {ms:.0} ms"))
            .unwrap_or_default();
        println!(
            "  {:<24} {} calls in {} invocations{avg}",
            t.name, t.calls, t.invocations
        );
    }
    let d = &s.duration;
    if let (Some(p50), Some(p99)) = (d.p50_ms, d.p99_ms) {
        println!(
            "\nduration: p50 {p50} ms, p99 {p99} ms ({} measured)",
            d.count
        );
    }
    let f = &s.time_to_first_token;
    if let (Some(p50), Some(p99)) = (f.p50_ms, f.p99_ms) {
        println!("first token: p50 {p50} ms, p99 {p99} ms");
    }
    println!("\nper day:");
    for day in &s.per_day {
        println!("  {} {}", day.day, day.count);
    }
}
