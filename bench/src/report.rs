//! Figures of one run and the report over several: the median of each figure, and the median of its ratio to
//! the baseline figure of the same run (so the drift of a shared machine cancels out).

use std::fmt::Write;

/// The unit of a figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unit {
    PerSec,
    Ms,
    MiB,
    Count,
}

impl Unit {
    fn label(self) -> &'static str {
        match self {
            Unit::PerSec => "ops/s",
            Unit::Ms => "ms",
            Unit::MiB => "MiB",
            Unit::Count => "count",
        }
    }
}

/// One measured number.
#[derive(Clone, Debug)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: Unit,
    /// The baseline figure (same run) this one is divided by.
    pub ratio_to: Option<String>,
    /// Error messages sampled, for error counts.
    pub notes: Vec<String>,
}

impl Figure {
    fn new(name: &str, value: f64, unit: Unit, ratio_to: Option<&str>) -> Figure {
        Figure {
            name: name.to_string(),
            value,
            unit,
            ratio_to: ratio_to.map(str::to_string),
            notes: Vec::new(),
        }
    }
    pub fn ms(name: &str, value: f64, ratio_to: Option<&str>) -> Figure {
        Figure::new(name, value, Unit::Ms, ratio_to)
    }
    pub fn mib(name: &str, value: f64, ratio_to: Option<&str>) -> Figure {
        Figure::new(name, value, Unit::MiB, ratio_to)
    }
    pub fn per_sec(name: &str, value: f64, ratio_to: Option<&str>) -> Figure {
        Figure::new(name, value, Unit::PerSec, ratio_to)
    }
    pub fn count(name: &str, value: f64, notes: Vec<String>) -> Figure {
        let mut f = Figure::new(name, value, Unit::Count, None);
        f.notes = notes;
        f
    }
}

/// The median of the finite values (NaN when there are none).
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// One row of the report.
#[derive(Clone, Debug)]
pub struct Row {
    pub name: String,
    pub unit: Unit,
    pub values: Vec<f64>,
    pub median: f64,
    pub ratio: Option<f64>,
    pub notes: Vec<String>,
}

/// The rows over `runs`, in the order of the first run.
pub fn rows(runs: &[Vec<Figure>]) -> Vec<Row> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    first
        .iter()
        .map(|f| {
            let mut values = Vec::new();
            let mut ratios = Vec::new();
            let mut notes = Vec::new();
            for run in runs {
                let Some(g) = run.iter().find(|g| g.name == f.name) else {
                    continue;
                };
                values.push(g.value);
                notes.extend(g.notes.iter().cloned());
                if let Some(b) = g
                    .ratio_to
                    .as_ref()
                    .and_then(|b| run.iter().find(|x| &x.name == b))
                {
                    ratios.push(g.value / b.value);
                }
            }
            notes.truncate(3);
            Row {
                name: f.name.clone(),
                unit: f.unit,
                median: median(&values),
                ratio: f.ratio_to.as_ref().map(|_| median(&ratios)),
                values,
                notes,
            }
        })
        .collect()
}

fn num(x: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else if x.abs() >= 0.1 || x == 0.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.4}")
    }
}

/// A markdown table of the rows, with every run's value and the error samples below it.
pub fn markdown(runs: &[Vec<Figure>]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| figure | unit | median | ratio to baseline (median) | runs |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---|");
    let rows = rows(runs);
    for r in &rows {
        let ratio = r.ratio.map(num).unwrap_or_else(|| "—".into());
        let each: Vec<String> = r.values.iter().map(|v| num(*v)).collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            r.name,
            r.unit.label(),
            num(r.median),
            ratio,
            each.join(" / ")
        );
    }
    let errors: Vec<&Row> = rows.iter().filter(|r| !r.notes.is_empty()).collect();
    if !errors.is_empty() {
        let _ = writeln!(s, "\nError samples:\n");
        for r in errors {
            for n in &r.notes {
                let _ = writeln!(s, "- `{}`: {}", r.name, n.replace('\n', " "));
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_taken_per_run_then_the_median() {
        let run = |base: f64, v: f64| {
            vec![
                Figure::per_sec("baseline.per_s", base, None),
                Figure::per_sec("x.per_s", v, Some("baseline.per_s")),
            ]
        };
        let runs = vec![run(100.0, 50.0), run(200.0, 40.0), run(50.0, 30.0)];
        let rows = rows(&runs);
        assert_eq!(rows[1].median, 40.0);
        assert_eq!(rows[1].ratio, Some(0.5));
        assert_eq!(median(&[1.0, f64::NAN, 3.0]), 2.0);
        assert!(markdown(&runs).contains("| x.per_s | ops/s | 40.0 | 0.50 |"));
    }
}
