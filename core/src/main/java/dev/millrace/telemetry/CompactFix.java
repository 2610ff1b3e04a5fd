package dev.millrace.telemetry;

import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link FixJson#parse}: a fix written exactly as the MAT simulator and {@link
 * FixJson#write} write it, {@code {"timestamp":T,"carIndex":C,"location":{"lat":L,"long":G}}} with
 * no spaces. Anything else, and any number it cannot convert exactly, returns null and is left to
 * the general parser, so both paths give the same fix for the same bytes.
 */
final class CompactFix {
    private static final byte[] TIMESTAMP = ascii("{\"timestamp\":");
    private static final byte[] CAR_INDEX = ascii(",\"carIndex\":");
    private static final byte[] LAT = ascii(",\"location\":{\"lat\":");
    private static final byte[] LONG = ascii(",\"long\":");
    private static final byte[] END = ascii("}}");
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private final byte[] b;
    private int i;

    private CompactFix(byte[] bytes) {
        this.b = bytes;
    }

    /** The fix, or null when the payload is not in the compact layout. */
    static Fix parse(byte[] bytes) {
        CompactFix p = new CompactFix(bytes);
        if (!p.expect(TIMESTAMP)) {
            return null;
        }
        long timestamp = p.digits(18);
        if (timestamp < 0 || !p.expect(CAR_INDEX)) {
            return null;
        }
        long car = p.digits(9);
        if (car < 0 || !p.expect(LAT)) {
            return null;
        }
        double lat = p.decimal();
        if (Double.isNaN(lat) || !p.expect(LONG)) {
            return null;
        }
        double lon = p.decimal();
        if (Double.isNaN(lon) || !p.expect(END) || p.i != bytes.length) {
            return null;
        }
        if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
            return null;
        }
        return new Fix(timestamp, (int) car, lat, lon);
    }

    private boolean expect(byte[] literal) {
        if (i + literal.length > b.length) {
            return false;
        }
        for (byte c : literal) {
            if (b[i++] != c) {
                return false;
            }
        }
        return true;
    }

    /** A non-negative integer of at most {@code maxDigits} digits, no leading zero; else -1. */
    private long digits(int maxDigits) {
        int start = i;
        long value = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && i - start < maxDigits) {
            value = value * 10 + (b[i++] - '0');
        }
        int length = i - start;
        if (length == 0 || (length > 1 && b[start] == '0') || (i < b.length && isDigit(b[i]))) {
            return -1;
        }
        return value;
    }

    /**
     * A decimal without exponent whose digits fit in 2^53 and whose fraction has at most 22 digits:
     * then digits / 10^n is one correctly rounded division, the double {@link Double#parseDouble}
     * gives. Otherwise NaN.
     */
    private double decimal() {
        boolean negative = i < b.length && b[i] == '-';
        if (negative) {
            i++;
        }
        int start = i;
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        while (i < b.length) {
            byte c = b[i];
            if (isDigit(c)) {
                mantissa = mantissa * 10 + (c - '0');
                if (++digits > 15) {
                    return Double.NaN;
                }
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                break;
            }
            i++;
        }
        int integerDigits = fraction < 0 ? digits : digits - fraction;
        if (integerDigits == 0 || fraction == 0 || (integerDigits > 1 && b[start] == '0')) {
            return Double.NaN;
        }
        // An exponent, or a zero whose sign the general parser might read otherwise.
        if (mantissa == 0 || (i < b.length && (b[i] == 'e' || b[i] == 'E'))) {
            return Double.NaN;
        }
        double value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
        return negative ? -value : value;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
