package dev.millrace.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Stack;

/**
 * Every AwsSolutions finding the app does not fix, with the reason it stands. Kept in one place so
 * that a reviewer sees every exception at once; the tests fail on any finding not listed here.
 */
final class NagRules {
    private NagRules() {}

    static void apply(Stack stack, EnvironmentConfig env) {
        NagSuppressions.addStackSuppressions(stack, List.of(), true);
    }

    static NagPackSuppression because(String rule, String reason) {
        return NagPackSuppression.builder().id("AwsSolutions-" + rule).reason(reason).build();
    }
}
