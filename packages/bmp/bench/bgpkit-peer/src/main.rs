//! bgpkit-peer: decode-throughput benchmark peer for bmpwatch's `pnpm bench:decode`.
//!
//! Usage: bgpkit-peer [--format raw|openbmp] [--repeat N] FILE
//!
//! Reads FILE into memory (untimed), then N times walks every message in it
//! and fully parses it with bgpkit-parser, and prints one JSON line on stdout.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use bgpkit_parser::models::{AttributeValue, BgpMessage, NetworkPrefix};
use bgpkit_parser::parser::bmp::messages::{BmpMessage, BmpMessageBody};
use bgpkit_parser::{parse_bmp_msg, parse_openbmp_header};
use bytes::Bytes;

const BGPKIT_VERSION: &str = env!("BGPKIT_PARSER_VERSION");
const USAGE: &str = "usage: bgpkit-peer [--format raw|openbmp] [--repeat N] FILE";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Raw,
    OpenBmp,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Raw => "raw",
            Format::OpenBmp => "openbmp",
        }
    }
}

struct Args {
    format: Format,
    repeat: usize,
    file: String,
}

fn parse_args() -> Result<Args, String> {
    let mut format = Format::Raw;
    let mut repeat = 5usize;
    let mut file = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        // accept both "--opt value" and "--opt=value"
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it.next().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        match key.as_str() {
            "--format" | "-f" => {
                format = match value("--format")?.as_str() {
                    "raw" => Format::Raw,
                    "openbmp" => Format::OpenBmp,
                    other => return Err(format!("unknown format {other:?} (raw|openbmp)")),
                }
            }
            "--repeat" | "-n" => {
                let v = value("--repeat")?;
                repeat = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--repeat must be a positive integer, got {v:?}"))?;
            }
            "--help" | "-h" => return Err(String::new()),
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option {s}")),
            _ => {
                if file.replace(arg).is_some() {
                    return Err("only one FILE may be given".into());
                }
            }
        }
    }
    let file = file.ok_or("missing FILE")?;
    Ok(Args {
        format,
        repeat,
        file,
    })
}

/// Totals of one walk over the input.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
struct Walk {
    /// messages framed in the input (parsed ok + failed)
    messages: u64,
    /// prefixes (announced + withdrawn, incl. MP_REACH/MP_UNREACH NLRI) in Route Monitoring
    prefixes: u64,
    /// messages bgpkit-parser rejected, plus one for trailing bytes that cannot be framed
    errors: u64,
    /// bytes walked
    bytes: u64,
    /// sum over all counted prefixes of their length, so each prefix is read, not just counted
    checksum: u64,
}

fn tally(prefixes: &[NetworkPrefix], w: &mut Walk) {
    for p in prefixes {
        w.prefixes += 1;
        w.checksum = w.checksum.wrapping_add(p.prefix.prefix_len() as u64);
    }
}

/// Counts the prefixes of a parsed message by reading them.
fn count_prefixes(msg: &BmpMessage, w: &mut Walk) {
    let BmpMessageBody::RouteMonitoring(rm) = &msg.message_body else {
        return;
    };
    let BgpMessage::Update(update) = &rm.bgp_message else {
        return;
    };
    tally(&update.announced_prefixes, w);
    tally(&update.withdrawn_prefixes, w);
    for attr in update.attributes.iter() {
        match attr {
            AttributeValue::MpReachNlri(nlri) => {
                tally(&nlri.prefixes, w);
                if let Some(labeled) = &nlri.labeled_prefixes {
                    for p in labeled {
                        w.prefixes += 1;
                        w.checksum = w.checksum.wrapping_add(p.prefix.prefix_len() as u64);
                    }
                }
            }
            AttributeValue::MpUnreachNlri(nlri) => tally(&nlri.prefixes, w),
            _ => {}
        }
    }
}

fn be16(b: &[u8], at: usize) -> usize {
    u16::from_be_bytes([b[at], b[at + 1]]) as usize
}

fn be32(b: &[u8], at: usize) -> usize {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}

/// Frame length of the message at `off`, read from its own length fields,
/// or None if the rest of the input cannot hold a frame.
fn frame_len(buf: &[u8], off: usize, format: Format) -> Option<usize> {
    let rest = buf.len() - off;
    let len = match format {
        // BMP common header: version(1) length(4) type(1); length includes the header
        Format::Raw => {
            if rest < 6 {
                return None;
            }
            let len = be32(buf, off + 1);
            if len < 6 {
                return None;
            }
            len
        }
        // OpenBMP v1.7: magic(4) major(1) minor(1) header_len(2) msg_len(4) ...
        Format::OpenBmp => {
            if rest < 12 {
                return None;
            }
            let len = be16(buf, off + 6) + be32(buf, off + 8);
            if len < 12 {
                return None;
            }
            len
        }
    };
    (len <= rest).then_some(len)
}

/// Parses one framed message with bgpkit-parser.
fn parse_one(data: &Bytes, off: usize, len: usize, format: Format) -> Option<BmpMessage> {
    let mut msg = data.slice(off..off + len);
    if format == Format::OpenBmp {
        let header = parse_openbmp_header(&mut msg).ok()?;
        // The header parser reads the fields it knows; honour header_len like a
        // consumer should, in case the header carries more than it read.
        let consumed = len - msg.len();
        let hlen = header.header_len as usize;
        if consumed != hlen {
            if hlen > len {
                return None;
            }
            msg = data.slice(off + hlen..off + len);
        }
        black_box(&header);
    }
    parse_bmp_msg(&mut msg).ok()
}

fn walk(data: &Bytes, format: Format) -> Walk {
    let buf: &[u8] = data;
    let mut w = Walk::default();
    let mut off = 0usize;
    while off < buf.len() {
        let Some(len) = frame_len(buf, off, format) else {
            // cannot find the next message boundary: count it and stop
            w.errors += 1;
            break;
        };
        w.messages += 1;
        match parse_one(data, off, len, format) {
            Some(msg) => {
                count_prefixes(&msg, &mut w);
                black_box(&msg);
            }
            None => w.errors += 1,
        }
        off += len;
    }
    w.bytes = off as u64;
    w
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("bgpkit-peer: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let content = match std::fs::read(&args.file) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bgpkit-peer: cannot read {}: {e}", args.file);
            return ExitCode::from(1);
        }
    };
    let data = Bytes::from(content);

    let mut runs = Vec::with_capacity(args.repeat);
    let mut first: Option<Walk> = None;
    for _ in 0..args.repeat {
        let start = Instant::now();
        let w = walk(black_box(&data), args.format);
        let secs = start.elapsed().as_secs_f64();
        black_box(w.checksum);
        runs.push(secs);
        match first {
            None => first = Some(w),
            Some(f) if f != w => {
                eprintln!("bgpkit-peer: runs disagree ({f:?} vs {w:?})");
                return ExitCode::from(1);
            }
            _ => {}
        }
    }
    let w = first.unwrap_or_default();

    let mut sorted = runs.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    let rate = |x: f64| if median > 0.0 { x / median } else { 0.0 };

    let runs_s = runs
        .iter()
        .map(|s| format!("{s:.6}"))
        .collect::<Vec<_>>()
        .join(",");
    println!(
        "{{\"tool\":\"bgpkit-parser\",\"version\":\"{}\",\"format\":\"{}\",\"messages\":{},\"prefixes\":{},\"errors\":{},\"bytes\":{},\"runs_s\":[{}],\"median_s\":{:.6},\"msgs_per_s\":{:.1},\"mb_per_s\":{:.3},\"prefixes_per_s\":{:.1}}}",
        BGPKIT_VERSION,
        args.format.name(),
        w.messages,
        w.prefixes,
        w.errors,
        w.bytes,
        runs_s,
        median,
        rate(w.messages as f64),
        rate(w.bytes as f64 / 1e6),
        rate(w.prefixes as f64),
    );
    ExitCode::SUCCESS
}
