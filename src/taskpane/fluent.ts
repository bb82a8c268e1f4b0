/** Registers the Fluent UI web components the pane uses (only these, to keep the bundle small). */
import { fluentBadge, fluentButton, fluentCheckbox, fluentTextField, provideFluentDesignSystem } from "@fluentui/web-components";

export function registerFluent(): void {
  provideFluentDesignSystem().register(fluentButton(), fluentTextField(), fluentCheckbox(), fluentBadge());
}
