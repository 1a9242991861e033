import type { SchemeCore } from "../engine/core";
import type { CodePreset, ModuleName } from "../engine/definition";
import type { HeaderNaming } from "../engine/headers";
import { adyenModule } from "./adyen";
import { braintreeModule } from "./braintree";
import { contentfulModule } from "./contentful";
import { netlifyModule } from "./netlify";
import { paypalModule } from "./paypal";
import { plaidModule } from "./plaid";
import { twilioModule } from "./twilio";

/** The code family: one small module per sender whose check data cannot express (node:crypto only). */
export const MODULES: Readonly<Record<ModuleName, (preset: CodePreset, naming: HeaderNaming) => SchemeCore>> =
  {
    twilio: twilioModule,
    adyen: adyenModule,
    braintree: braintreeModule,
    paypal: paypalModule,
    plaid: plaidModule,
    netlify: netlifyModule,
    contentful: contentfulModule,
  };
