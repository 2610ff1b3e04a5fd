package dev.millrace.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AwsSolutions pack over each environment: every finding fixed or justified in code. */
class NagTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noUnsuppressedAwsSolutionsErrors(String env) {
        Synth.Result synth = Synth.of(env);
        List<SynthesisMessage> errors =
                Annotations.fromStack(synth.stack())
                        .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(describe(errors)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noUnsuppressedAwsSolutionsWarningsOrUncheckableRules(String env) {
        Synth.Result synth = Synth.of(env);
        List<SynthesisMessage> warnings =
                Annotations.fromStack(synth.stack())
                        .findWarning(
                                "*",
                                Match.stringLikeRegexp("(AwsSolutions|CdkNagValidationFailure).*"));
        assertThat(describe(warnings)).isEmpty();
    }

    private static TreeSet<String> describe(List<SynthesisMessage> messages) {
        TreeSet<String> out = new TreeSet<>();
        for (SynthesisMessage m : messages) {
            String data = String.valueOf(m.getEntry().getData());
            // "<rule>[<finding>]: <explanation>": keep the rule and the finding.
            int end = data.indexOf("]: ");
            end = end >= 0 ? end + 1 : Math.max(0, data.indexOf(": "));
            out.add(data.substring(0, end) + " @ " + m.getId());
        }
        return out;
    }
}
