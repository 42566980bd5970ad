// What Spark's RLIKE / regexp does with a pattern (Spark 4, RLike.matches):
// Pattern.compile(pattern) with no flags, then matcher(text).find(0).
// Run with the source launcher: java RegexFind.java < input
//
// Input (stdin), one item per line, fields separated by tabs:
//   p <hex>          the next pattern (hex of its UTF-8 bytes), numbered from 0
//   t <hex>          the next text, numbered from 0
//   c <p> <t>        run pattern p on text t
// Output (stdout), one line per 'c': 1 (found), 0 (not found), or E and the error
// when the pattern does not compile.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

public class RegexFind {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        HexFormat hex = HexFormat.of();
        List<Object> patterns = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "p": {
                    String p = new String(hex.parseHex(f[1]), StandardCharsets.UTF_8);
                    try {
                        patterns.add(Pattern.compile(p));
                    } catch (Exception e) {
                        patterns.add("E" + String.valueOf(e.getMessage()).replace('\n', ' ').replace('\r', ' '));
                    }
                    break;
                }
                case "t":
                    texts.add(new String(hex.parseHex(f[1]), StandardCharsets.UTF_8));
                    break;
                case "c": {
                    Object p = patterns.get(Integer.parseInt(f[1]));
                    String t = texts.get(Integer.parseInt(f[2]));
                    if (p instanceof Pattern) {
                        try {
                            out.append(((Pattern) p).matcher(t).find(0) ? "1" : "0");
                        } catch (StackOverflowError e) {
                            out.append("EStackOverflowError");
                        }
                    } else {
                        out.append((String) p);
                    }
                    out.append('\n');
                    break;
                }
                default:
                    throw new IllegalArgumentException("bad input line: " + line);
            }
        }
        System.out.print(out);
    }
}
