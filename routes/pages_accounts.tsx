import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context.ts";
import { formValues, page } from "./render.tsx";
import {
  assertRole,
  assertSignedIn,
  clearSessionCookie,
  clientAddress,
  redirectWithFlash,
  sessionMetaOf,
  setSessionCookie,
} from "./middleware.ts";
import { deviceCookieUser, setDeviceCookie } from "./device_cookie.ts";
import { signIn, signUpClient, signUpTrainer } from "./accounts.ts";
import {
  ClientSignUp,
  Email,
  fieldErrorsIn,
  fieldWordsIn,
  LanguageField,
  Name,
  Password,
  TrainerSignUp,
} from "./validation.ts";
import {
  Home,
  JoinForm,
  NewCodeForm,
  ProfileForm,
  ReferralCard,
  RemindersCard,
  SignInForm,
  TrainerSignUpForm,
} from "../views/AccountViews.tsx";
import { TelegramCard } from "../views/TelegramCard.tsx";
import { LanguageCard } from "../views/LanguageViews.tsx";
import { browserLanguage, rememberLanguage, sayFor } from "./language.ts";
import { qrSvg } from "../views/qr.ts";
import { InPage } from "../views/Layout.tsx";
import { t } from "../lib/i18n.ts";
import { FeedLinkCard } from "../views/FeedViews.tsx";
import {
  deleteOtherSessions,
  deleteSession,
  listSessions,
} from "../db/sessions.ts";
import { DevicesCard } from "../views/DeviceViews.tsx";
import { YourDataCard } from "../views/AccountDataViews.tsx";
import { lastExport } from "../db/erasure.ts";
import { isEmailVerified } from "../db/account_messages.ts";
import { emailChanged } from "./email_verification.ts";
import { EmailCheckCard } from "../views/RecoveryViews.tsx";
import { settingsOf } from "./context.ts";
import { ContactForm, YourTrainerCard } from "../views/ContactViews.tsx";
import { getTrainerContact } from "../db/contact.ts";
import {
  findTrainerByReferralCode,
  getPasswordHash,
  getReferralCode,
  setReferralCode,
  setUserLanguage,
  updateProfile,
} from "../db/users.ts";
import { getSettings, setRemindersEnabled } from "../db/settings.ts";
import {
  hashPassword,
  newReferralCode,
  normalizeReferralCode,
  verifyPassword,
} from "../lib/security.ts";
import { passwordEmailProblem } from "../lib/passwords.ts";

export const TIME_ZONES: readonly string[] = [
  "UTC",
  ...Intl.supportedValuesOf("timeZone"),
];

/** Only same-site paths: `next=https://evil.example` must not redirect away. */
const safeNext = (next: unknown, home: string) =>
  typeof next === "string" && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next)
    ? next
    : home;

/** A trainer's home is Today; a client's, the calendar to book from. */
const homeOf = (role: string | undefined) =>
  role === "trainer" ? "/today" : "/calendar";

/**
 * What a refused sign-up or profile form shows again: everything typed, each password too
 * unless that password itself was refused (then it must be typed anew). Pages are never
 * stored (`noStore`, and htmx keeps no history snapshots), so a re-filled password lives
 * only in this one answer.
 */
const typedAgain = (
  values: Record<string, string | undefined>,
  errors: Record<string, string>,
  passwords: readonly string[] = ["password"],
) => {
  const shown = { ...values };
  for (const name of passwords) {
    if (errors[name] !== undefined) shown[name] = "";
  }
  return shown;
};
const profilePasswords = ["newPassword", "currentPassword"] as const;

/** Sets Retry-After and says, above the form, when to try again. */
function tooManySignUps(c: Context<AppEnv>, retryAfter: number) {
  c.header("Retry-After", String(retryAfter));
  return {
    form: sayFor(c)("site.signup.too_many", {
      minutes: Math.ceil(retryAfter / 60),
    }),
  };
}

export const accountPages = new Hono<AppEnv>()
  // The signed-out footer's language switch: a cookie, then back to the page it was on.
  .post("/language", async (c) => {
    const values = await formValues(c);
    const parsed = LanguageField.safeParse(values.lang);
    if (parsed.success) rememberLanguage(c, parsed.data);
    return c.redirect(safeNext(values.next, "/"), 303);
  })
  .get(
    "/",
    (c) => {
      const user = c.get("user");
      return user
        ? c.redirect(homeOf(user.role), 303)
        : page(c, sayFor(c)("site.home.title"), <Home />);
    },
  )
  .get(
    "/signup",
    (c) =>
      page(
        c,
        sayFor(c)("site.signup.title"),
        <TrainerSignUpForm csrf={c.get("csrfToken")} zones={TIME_ZONES} />,
      ),
  )
  .post("/signup", async (c) => {
    const values = await formValues(c);
    const parsed = TrainerSignUp.safeParse(values);
    const form = (errors: Record<string, string>, status: 422 | 429 = 422) =>
      page(
        c,
        sayFor(c)("site.signup.title"),
        <TrainerSignUpForm
          csrf={c.get("csrfToken")}
          zones={TIME_ZONES}
          values={typedAgain(values, errors)}
          errors={errors}
        />,
        status,
      );
    if (!parsed.success) return form(fieldErrorsIn(parsed.error, c));
    const result = await signUpTrainer(c.get("deps"), {
      ...parsed.data,
      language: parsed.data.language ?? browserLanguage(c),
      address: clientAddress(c),
      session: sessionMetaOf(c, "browser"),
    });
    if (!result.ok && result.reason === "too_many_attempts") {
      return form(tooManySignUps(c, result.retryAfter), 429);
    }
    if (!result.ok) {
      return form({ email: sayFor(c)("site.signup.email_taken") });
    }
    setSessionCookie(c, result.token);
    await setDeviceCookie(c, result.id);
    return redirectWithFlash(
      c,
      "/profile",
      sayFor(c)("site.signup.welcome", { code: result.referralCode ?? "" }),
    );
  })
  .get(
    "/join",
    (c) =>
      page(
        c,
        sayFor(c)("site.join.title"),
        <JoinForm csrf={c.get("csrfToken")} code="" />,
      ),
  )
  .get("/join/:code", async (c) => {
    const code = normalizeReferralCode(c.req.param("code"));
    const trainer = await findTrainerByReferralCode(c.get("deps").sql, code);
    if (!trainer) {
      return page(
        c,
        sayFor(c)("site.join.title"),
        <JoinForm
          csrf={c.get("csrfToken")}
          code={code}
          errors={{
            referralCode: sayFor(c)("site.join.bad_link"),
          }}
        />,
        404,
      );
    }
    return page(
      c,
      sayFor(c)("site.join.title"),
      <JoinForm
        csrf={c.get("csrfToken")}
        code={code}
        trainerName={trainer.name}
      />,
    );
  })
  .post("/join", async (c) => {
    const values = await formValues(c);
    const parsed = ClientSignUp.safeParse(values);
    const form = (errors: Record<string, string>, status: 422 | 429 = 422) =>
      page(
        c,
        sayFor(c)("site.join.title"),
        <JoinForm
          csrf={c.get("csrfToken")}
          code=""
          values={typedAgain(values, errors)}
          errors={errors}
        />,
        status,
      );
    if (!parsed.success) return form(fieldErrorsIn(parsed.error, c));
    const result = await signUpClient(c.get("deps"), {
      ...parsed.data,
      language: parsed.data.language ?? browserLanguage(c),
      address: clientAddress(c),
      session: sessionMetaOf(c, "browser"),
    });
    if (!result.ok && result.reason === "too_many_attempts") {
      return form(tooManySignUps(c, result.retryAfter), 429);
    }
    if (!result.ok) {
      return form(
        result.reason === "email_taken"
          ? { email: sayFor(c)("site.signup.email_taken") }
          : { referralCode: sayFor(c)("site.join.no_trainer") },
      );
    }
    setSessionCookie(c, result.token);
    await setDeviceCookie(c, result.id);
    return redirectWithFlash(
      c,
      "/calendar",
      sayFor(c)("site.join.welcome"),
    );
  })
  .get("/signin", (c) => {
    const user = c.get("user");
    if (user) return c.redirect(homeOf(user.role), 303);
    return page(
      c,
      sayFor(c)("site.signin.title"),
      <SignInForm csrf={c.get("csrfToken")} next={c.req.query("next")} />,
    );
  })
  .post("/signin", async (c) => {
    const values = await formValues(c);
    const parsed = z.object({
      email: z.string().max(254),
      password: z.string().max(200),
    })
      .safeParse(values);
    const email = parsed.success ? parsed.data.email : "";
    const result = parsed.success
      ? await signIn(c.get("deps"), {
        ...parsed.data,
        address: clientAddress(c),
        deviceUserId: await deviceCookieUser(c),
        session: sessionMetaOf(c, "browser"),
      })
      : { ok: false as const, reason: "invalid_credentials" as const };
    if (result.ok) {
      setSessionCookie(c, result.token);
      await setDeviceCookie(c, result.id);
      return c.redirect(safeNext(values.next, homeOf(result.role)), 303);
    }
    if (result.reason === "too_many_attempts") {
      c.header("Retry-After", String(result.retryAfter));
    }
    const error = result.reason === "too_many_attempts"
      ? sayFor(c)("site.signin.too_many", {
        minutes: Math.ceil(result.retryAfter / 60),
      })
      : sayFor(c)("site.signin.wrong");
    return page(
      c,
      sayFor(c)("site.signin.title"),
      <SignInForm
        csrf={c.get("csrfToken")}
        email={email}
        error={error}
        next={values.next}
      />,
      result.reason === "too_many_attempts" ? 429 : 401,
    );
  })
  .post("/signout", async (c) => {
    const session = c.get("sessionHash");
    if (session) await deleteSession(c.get("deps").sql, session);
    clearSessionCookie(c);
    return redirectWithFlash(
      c,
      "/signin",
      sayFor(c)("site.signin.signed_out"),
    );
  })
  .get("/profile", async (c) => {
    const user = assertSignedIn(c);
    return page(
      c,
      sayFor(c)("site.profile.title"),
      await profileBody(c, { name: user.name, email: user.email }),
    );
  })
  .post("/profile", async (c) => {
    const user = assertSignedIn(c);
    const values = await formValues(c);
    const parsed = z.object({
      name: Name,
      email: Email,
      newPassword: z.union([z.literal(""), Password]).default(""),
      currentPassword: z.string().max(200).default(""),
    }).safeParse(values);
    const errors = parsed.success ? {} : fieldErrorsIn(parsed.error, c);
    if (parsed.success && parsed.data.newPassword !== "") {
      const problem = passwordEmailProblem(
        parsed.data.newPassword,
        parsed.data.email,
      );
      if (problem) errors.newPassword = fieldWordsIn(problem, c);
    }
    const sensitive = parsed.success &&
      (parsed.data.newPassword !== "" ||
        parsed.data.email.toLowerCase() !== user.email.toLowerCase());
    if (parsed.success && sensitive) {
      const hash = await getPasswordHash(c.get("deps").sql, user.id);
      if (!hash || !(await verifyPassword(parsed.data.currentPassword, hash))) {
        errors.currentPassword = sayFor(c)("site.profile.wrong_password");
      }
    }
    if (!parsed.success || Object.keys(errors).length) {
      return page(
        c,
        sayFor(c)("site.profile.title"),
        await profileBody(
          c,
          typedAgain(values, errors, profilePasswords),
          errors,
        ),
        422,
      );
    }
    const { name, email, newPassword } = parsed.data;
    const passwordHash = newPassword
      ? await hashPassword(newPassword, c.get("deps").passwordCost)
      : undefined;
    const saved = await updateProfile(c.get("deps").sql, user.id, {
      name,
      email,
      passwordHash,
    });
    if (!saved.ok) {
      return page(
        c,
        sayFor(c)("site.profile.title"),
        await profileBody(c, values, {
          email: sayFor(c)("site.profile.email_registered"),
        }),
        422,
      );
    }
    const session = c.get("sessionHash");
    if (passwordHash && session) {
      await deleteOtherSessions(c.get("deps").sql, user.id, session);
    }
    if (email.toLowerCase() !== user.email.toLowerCase()) {
      await emailChanged(c.get("deps"), user.id, user.email, email);
    }
    return redirectWithFlash(
      c,
      "/profile",
      sayFor(c)("site.profile.saved"),
    );
  })
  .get("/profile/referral-code", async (c) => {
    const trainer = assertRole(c, "trainer");
    const code = await getReferralCode(c.get("deps").sql, trainer.id);
    return page(
      c,
      sayFor(c)("site.referral.new_code"),
      <InPage
        render={() => (
          <section class="card narrow">
            <NewCodeForm csrf={c.get("csrfToken")} code={code} />
            <p>
              <a class="button secondary" href="/profile">
                {sayFor(c)("site.referral.keep")}
              </a>
            </p>
          </section>
        )}
      />,
    );
  })
  .get("/profile/join-qr.svg", async (c) => {
    const trainer = assertRole(c, "trainer");
    const code = await getReferralCode(c.get("deps").sql, trainer.id);
    return c.body(
      await qrSvg(`${c.get("deps").config.appUrl}/join/${code}`),
      200,
      {
        "Content-Type": "image/svg+xml",
        "Cache-Control": "private, max-age=300",
      },
    );
  })
  .post("/profile/referral-code", async (c) => {
    const trainer = assertRole(c, "trainer");
    const code = newReferralCode();
    await setReferralCode(c.get("deps").sql, trainer.id, code);
    return redirectWithFlash(
      c,
      "/profile",
      sayFor(c)("site.new_code.done", { code }),
    );
  })
  .post("/profile/language", async (c) => {
    const user = assertSignedIn(c);
    const parsed = LanguageField.safeParse((await formValues(c)).language);
    if (!parsed.success) {
      return redirectWithFlash(
        c,
        "/profile",
        sayFor(c)("site.language.pick"),
        "error",
      );
    }
    await setUserLanguage(c.get("deps").sql, user.id, parsed.data);
    // The flash is read on the next page, in the language just saved.
    return redirectWithFlash(
      c,
      "/profile",
      t(parsed.data, "site.language.saved"),
    );
  })
  .post("/profile/reminders", async (c) => {
    const trainer = assertRole(c, "trainer");
    const values = await formValues(c);
    const enabled = values.remindersEnabled === "on";
    await setRemindersEnabled(
      c.get("deps").sql,
      trainer.id,
      enabled,
      c.get("deps").now(),
    );
    return redirectWithFlash(
      c,
      "/profile",
      sayFor(c)(enabled ? "site.reminders.on" : "site.reminders.off"),
    );
  });

async function profileBody(
  c: Context<AppEnv>,
  values: Record<string, string | undefined>,
  errors: Record<string, string> = {},
) {
  const user = assertSignedIn(c);
  const { sql, config } = c.get("deps");
  const [sessions, { timezone }] = await Promise.all([
    listSessions(sql, user.id, c.get("sessionHash"), c.get("deps").now()),
    settingsOf(c, user.trainerId),
  ]);
  const exported = user.role === "trainer" &&
    (await lastExport(sql, user.id)) !== undefined;
  // Thunks, so the cards render inside the page's locale (see InPage).
  const devices = () => (
    <>
      <DevicesCard
        csrf={c.get("csrfToken")}
        sessions={sessions}
        timezone={timezone}
      />
      <YourDataCard role={user.role} exported={exported} />
    </>
  );
  const verified = await isEmailVerified(sql, user.id);
  const unconfirmed = () =>
    !verified && (
      <EmailCheckCard
        csrf={c.get("csrfToken")}
        email={user.email}
        mailOn={config.smtpUrl !== undefined}
      />
    );
  const language = () => (
    <LanguageCard csrf={c.get("csrfToken")} current={user.language} />
  );
  const telegram = () => (
    <TelegramCard
      csrf={c.get("csrfToken")}
      available={c.get("deps").telegramBotUsername !== undefined}
      linked={user.telegramLinked}
    />
  );
  if (user.role !== "trainer") {
    const trainer = await getTrainerContact(sql, user.trainerId);
    return (
      <InPage
        render={() => (
          <>
            <h1>{sayFor(c)("site.profile.title")}</h1>
            {unconfirmed()}
            <ProfileForm
              csrf={c.get("csrfToken")}
              values={values}
              errors={errors}
            />
            {language()}
            {trainer && <YourTrainerCard contact={trainer} />}
            {telegram()}
            <FeedLinkCard />
            {devices()}
          </>
        )}
      />
    );
  }
  const code = await getReferralCode(sql, user.id);
  const settings = await getSettings(sql, user.id);
  const contact = await getTrainerContact(sql, user.id);
  return (
    <InPage
      render={() => (
        <>
          <h1>{sayFor(c)("site.profile.title")}</h1>
          {unconfirmed()}
          <ReferralCard
            csrf={c.get("csrfToken")}
            code={code}
            joinUrl={`${config.appUrl}/join/${code}`}
          />
          <ProfileForm
            csrf={c.get("csrfToken")}
            values={values}
            errors={errors}
          />
          <ContactForm
            csrf={c.get("csrfToken")}
            values={{
              contactPhone: contact?.phone,
              contactEmail: contact?.email,
            }}
          />
          <RemindersCard
            csrf={c.get("csrfToken")}
            enabled={settings?.remindersEnabled ?? true}
          />
          {language()}
          {telegram()}
          <FeedLinkCard />
          {devices()}
        </>
      )}
    />
  );
}
