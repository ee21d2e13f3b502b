//! An ordered, parallel, bounded-memory pipeline over the lines of a file.
//!
//! A reader thread cuts the input into chunks of whole lines; worker threads
//! turn each chunk into output bytes; the calling thread writes the outputs in
//! input order. At most `4 × jobs` chunks are in flight at any time (a token is
//! taken per chunk and given back once it is written), so memory does not grow
//! with the file.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Lines per chunk: large enough to amortise the channels, small enough to
/// keep every core busy on small inputs.
const CHUNK_LINES: usize = 256;
/// Bytes per chunk at most (a chunk holds whole lines, so one long line may exceed it).
const CHUNK_BYTES: usize = 1 << 20;

/// A run of whole lines.
pub struct Chunk {
    seq: u64,
    /// 1-based number of the first line.
    pub first_line: u64,
    data: Vec<u8>,
    /// End offset of each line in `data` (the newline excluded).
    ends: Vec<usize>,
    /// Lines that were too long, by index in the chunk: their content is dropped.
    pub too_long: Vec<usize>,
}

impl Chunk {
    /// The lines, with their 1-based line numbers; `None` content for a line
    /// longer than the limit.
    pub fn lines(&self) -> impl Iterator<Item = (u64, Option<&[u8]>)> {
        let mut start = 0;
        self.ends.iter().enumerate().map(move |(i, &end)| {
            let line = &self.data[start..end];
            start = end;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let content = (!self.too_long.contains(&i)).then_some(line);
            (self.first_line + i as u64, content)
        })
    }
}

/// What a worker made of one chunk.
pub struct Done<S> {
    seq: u64,
    pub output: Vec<u8>,
    pub stats: S,
    pub lines: u64,
    pub bytes: u64,
}

/// Progress shown on standard error while the pipeline runs.
pub struct Progress {
    enabled: bool,
    total_bytes: Option<u64>,
    started: Instant,
    last: Instant,
    label: &'static str,
}

impl Progress {
    /// Enabled only when standard error is a terminal.
    pub fn new(label: &'static str, total_bytes: Option<u64>) -> Progress {
        use std::io::IsTerminal;
        let now = Instant::now();
        Progress {
            enabled: std::io::stderr().is_terminal(),
            total_bytes,
            started: now,
            last: now - Duration::from_secs(1),
            label,
        }
    }

    /// Updates the line at most ten times a second.
    pub fn update(&mut self, items: u64, bytes: u64) {
        if !self.enabled || self.last.elapsed() < Duration::from_millis(100) {
            return;
        }
        self.last = Instant::now();
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let rate = items as f64 / secs;
        let share = match self.total_bytes {
            Some(t) if t > 0 => format!(" {:>3}%", (bytes * 100 / t).min(100)),
            _ => String::new(),
        };
        eprint!(
            "\r\x1b[K{}: {} 件{share}（{:.0} 件/秒）",
            self.label,
            group_digits(items),
            rate
        );
    }

    /// Clears the progress line.
    pub fn finish(&self) {
        if self.enabled {
            eprint!("\r\x1b[K");
        }
    }

    /// Seconds since the start.
    pub fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }
}

/// `12345678` → `12,345,678`.
pub fn group_digits(n: impl ToString) -> String {
    let s = n.to_string();
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// Runs `work` over every chunk of lines of `input` on `jobs` threads and
/// writes the outputs in input order to `out`. `on_done` sees every chunk's
/// result in order (for progress and summaries). Lines longer than
/// `max_line` bytes reach `work` with no content.
pub fn run<R, W, S, F, G>(
    input: R,
    out: &mut W,
    jobs: usize,
    max_line: usize,
    work: F,
    on_done: G,
) -> std::io::Result<()>
where
    R: BufRead + Send + 'static,
    W: Write,
    S: Send + 'static,
    F: Fn(&Chunk) -> (Vec<u8>, S) + Send + Sync + 'static,
    G: FnMut(&Done<S>),
{
    run_from(input, out, jobs, max_line, 1, CHUNK_LINES, work, on_done)
}

/// [`run`], numbering lines from `first_line`, with `chunk_lines` lines per chunk.
#[allow(clippy::too_many_arguments)]
pub fn run_from<R, W, S, F, G>(
    input: R,
    out: &mut W,
    jobs: usize,
    max_line: usize,
    first_line: u64,
    chunk_lines: usize,
    work: F,
    mut on_done: G,
) -> std::io::Result<()>
where
    R: BufRead + Send + 'static,
    W: Write,
    S: Send + 'static,
    F: Fn(&Chunk) -> (Vec<u8>, S) + Send + Sync + 'static,
    G: FnMut(&Done<S>),
{
    let jobs = jobs.max(1);
    let in_flight = 4 * jobs;
    let (token_tx, token_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = token_tx.send(());
    }
    let (chunk_tx, chunk_rx) = sync_channel::<Chunk>(in_flight);
    let (done_tx, done_rx) = sync_channel::<Done<S>>(in_flight);
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    let work = Arc::new(work);

    let reader = std::thread::spawn(move || {
        read_chunks(input, max_line, first_line, chunk_lines, &token_rx, |c| {
            chunk_tx.send(c).is_ok()
        })
    });
    let workers: Vec<_> = (0..jobs)
        .map(|_| {
            let rx = Arc::clone(&chunk_rx);
            let tx = done_tx.clone();
            let work = Arc::clone(&work);
            std::thread::spawn(move || loop {
                let next = rx.lock().map(|r| r.recv());
                let Ok(Ok(chunk)) = next else { break };
                let (output, stats) = work(&chunk);
                let done = Done {
                    seq: chunk.seq,
                    output,
                    stats,
                    lines: chunk.ends.len() as u64,
                    bytes: chunk.data.len() as u64 + chunk.ends.len() as u64,
                };
                if tx.send(done).is_err() {
                    break;
                }
            })
        })
        .collect();
    // Only the workers hold the chunk receiver: if they stop, the reader's
    // sends fail instead of blocking.
    drop(chunk_rx);
    drop(done_tx);

    let mut pending: BTreeMap<u64, Done<S>> = BTreeMap::new();
    let mut next = 0u64;
    let mut write_result = Ok(());
    for done in done_rx.iter() {
        pending.insert(done.seq, done);
        while let Some(d) = pending.remove(&next) {
            if write_result.is_ok() {
                write_result = out.write_all(&d.output);
            }
            on_done(&d);
            next += 1;
            let _ = token_tx.send(());
        }
        if write_result.is_err() {
            // Stop feeding: the reader sees the closed token channel.
            break;
        }
    }
    drop(token_tx);
    drop(done_rx);
    let read_result = reader
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("reader thread failed")));
    for w in workers {
        let _ = w.join();
    }
    write_result?;
    read_result?;
    out.flush()
}

fn read_chunks<R: BufRead>(
    mut input: R,
    max_line: usize,
    first_line: u64,
    chunk_lines: usize,
    tokens: &Receiver<()>,
    mut send: impl FnMut(Chunk) -> bool,
) -> std::io::Result<()> {
    let mut seq = 0;
    let mut line_no = first_line;
    loop {
        if tokens.recv().is_err() {
            return Ok(());
        }
        let mut chunk = Chunk {
            seq,
            first_line: line_no,
            data: Vec::with_capacity(64 * 1024),
            ends: Vec::with_capacity(chunk_lines),
            too_long: Vec::new(),
        };
        let mut eof = false;
        while chunk.ends.len() < chunk_lines && chunk.data.len() < CHUNK_BYTES {
            let start = chunk.data.len();
            let (read, truncated) = read_line_bounded(&mut input, &mut chunk.data, max_line)?;
            if read == 0 {
                eof = true;
                break;
            }
            if truncated {
                chunk.data.truncate(start);
                chunk.too_long.push(chunk.ends.len());
            }
            chunk.ends.push(chunk.data.len());
        }
        if !chunk.ends.is_empty() {
            line_no += chunk.ends.len() as u64;
            seq += 1;
            if !send(chunk) {
                return Ok(());
            }
        }
        if eof {
            return Ok(());
        }
    }
}

/// Appends one line (without its newline) to `buf`, keeping at most `max`
/// bytes of it. Returns the bytes consumed (0 at end of input) and whether the
/// line was longer than `max`.
fn read_line_bounded<R: BufRead>(
    input: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut kept = 0;
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((consumed, kept > max));
        }
        let (part, found) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], Some(i)),
            None => (available, None),
        };
        if kept <= max {
            let room = (max + 1 - kept).min(part.len());
            buf.extend_from_slice(&part[..room]);
            kept += room;
        }
        let used = found.map_or(part.len(), |i| i + 1);
        input.consume(used);
        consumed += used;
        if found.is_some() {
            return Ok((consumed, kept > max));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &str, max_line: usize) -> Vec<(u64, Option<String>)> {
        let mut out = Vec::new();
        run(
            std::io::Cursor::new(input.as_bytes().to_vec()),
            &mut out,
            3,
            max_line,
            |c: &Chunk| {
                let mut o = Vec::new();
                for (n, line) in c.lines() {
                    let text = line.map(|l| String::from_utf8_lossy(l).into_owned());
                    o.extend(format!("{n}\t{}\n", text.unwrap_or_else(|| "<long>".into())).bytes());
                }
                (o, ())
            },
            |_| {},
        )
        .unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| {
                let (n, t) = l.split_once('\t').unwrap();
                (n.parse().unwrap(), (t != "<long>").then(|| t.to_string()))
            })
            .collect()
    }

    #[test]
    fn keeps_order_and_numbers_lines() {
        let input: String = (1..=2000).map(|i| format!("line {i}\r\n")).collect();
        let got = collect(&input, 100);
        assert_eq!(got.len(), 2000);
        for (i, (n, t)) in got.iter().enumerate() {
            assert_eq!(*n, i as u64 + 1);
            assert_eq!(t.as_deref(), Some(format!("line {}", i + 1).as_str()));
        }
    }

    #[test]
    fn last_line_without_newline_and_long_lines() {
        let got = collect("a\nbbbbbbbbbb\nc", 5);
        assert_eq!(
            got,
            vec![(1, Some("a".into())), (2, None), (3, Some("c".into()))]
        );
        assert!(collect("", 5).is_empty());
    }

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(1234567), "1,234,567");
        assert_eq!(group_digits(-1000), "-1,000");
        assert_eq!(group_digits(12), "12");
    }
}
