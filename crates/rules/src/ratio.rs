//! Exact non-negative rationals for rates and ratios: no floats until formatting.

use std::cmp::Ordering;

/// `num / den`, exact. Invariant: `den > 0`.
#[derive(Clone, Copy, Debug)]
pub struct Ratio {
    num: u128,
    den: u128,
}

impl Ratio {
    /// `num / den`; `None` when `den` is 0.
    pub fn new(num: u128, den: u128) -> Option<Ratio> {
        (den != 0).then_some(Ratio { num, den })
    }

    /// A whole number.
    pub fn integer(n: u128) -> Ratio {
        Ratio { num: n, den: 1 }
    }

    /// The numerator as given (not reduced).
    pub fn numer(&self) -> u128 {
        self.num
    }

    /// The denominator as given (not reduced).
    pub fn denom(&self) -> u128 {
        self.den
    }

    /// Reduced to lowest terms.
    pub fn reduced(&self) -> Ratio {
        let g = gcd(self.num, self.den).max(1);
        Ratio {
            num: self.num / g,
            den: self.den / g,
        }
    }

    /// `self × 100` rounded half up to two decimal places, as hundredths of a
    /// percent: 1/12 → 833 (8.33 %).
    pub fn percent_hundredths_half_up(&self) -> u128 {
        (2 * self.num * 10_000 + self.den) / (2 * self.den)
    }

    /// The nearest `f64`: for display and the JSON contract only.
    pub fn to_f64(&self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// `n/d` as text: `11/4`, or `3` when whole (reduced).
    pub fn to_fraction_string(&self) -> String {
        let r = self.reduced();
        if r.den == 1 {
            r.num.to_string()
        } else {
            format!("{}/{}", r.num, r.den)
        }
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ratio {}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_and_round() {
        let a = Ratio::new(1, 12).unwrap();
        assert_eq!(a.percent_hundredths_half_up(), 833);
        assert_eq!(Ratio::new(1, 8).unwrap().percent_hundredths_half_up(), 1250);
        // 1/3 = 33.333… → 3333; 2/3 = 66.666… → 6667 (half up).
        assert_eq!(Ratio::new(2, 3).unwrap().percent_hundredths_half_up(), 6667);
        // exactly half a hundredth (0.005 %) rounds up; a quarter rounds down.
        assert_eq!(
            Ratio::new(1, 20_000).unwrap().percent_hundredths_half_up(),
            1
        );
        assert_eq!(
            Ratio::new(1, 40_000).unwrap().percent_hundredths_half_up(),
            0
        );
        assert!(Ratio::new(33, 12).unwrap() == Ratio::new(11, 4).unwrap());
        assert!(Ratio::new(3, 10).unwrap() < Ratio::new(1, 3).unwrap());
        assert_eq!(Ratio::new(33, 12).unwrap().to_fraction_string(), "11/4");
        assert!(Ratio::new(1, 0).is_none());
    }
}
