# What the service says when a request goes wrong: problem titles and details, and one
# message per bad field or row. Short sentences, plain words, no programmer's terms in what
# a person reads about their own input. Keep nl/problems.ftl in step: a test compares them.

## Titles and details of each kind of problem

problem-malformed-json-title = The request body is not valid JSON
problem-malformed-query-title = The query string is not valid
problem-unauthorized-title = Sign-in needed
problem-forbidden-title = Not allowed
problem-forbidden-detail = Your role may not do this.
problem-not-found-title = Not found
problem-not-found-detail = We could not find this, or it is not yours.
problem-no-route-title = No such address
problem-no-route-detail = This API has no such address. See /docs.
problem-method-not-allowed-title = Method not allowed
problem-method-not-allowed-detail = This address accepts { $allow } only.
problem-conflict-title = Conflict
problem-payload-too-large-title = Request too large
problem-payload-too-large-detail = The body is larger than the limit of { $limit } bytes.
problem-unsupported-media-type-title = Wrong content type
problem-unsupported-media-type-detail = Send the body as { $expected }.
problem-validation-failed-title = Some fields are not valid
problem-validation-one-detail = { $field }: { $message }
problem-validation-many-detail = { $count } fields are not valid. Each one is listed below.
problem-bad-rows-title = Some rows are not valid. Nothing was imported.
problem-bad-rows-detail = { $count ->
    [one] 1 row is not valid. Fix it and upload the whole file again.
   *[other] { $count } rows are not valid. Fix them and upload the whole file again.
}
problem-illegal-transition-title = Not possible in this state
problem-illegal-transition-detail = You cannot { $action } now: it is { $state }.
problem-illegal-transition-allowed-detail = You cannot { $action } now: it is { $state }. Possible now: { $allowed }.
problem-rate-limited-title = Too many attempts
problem-rate-limited-detail = { $minutes ->
    [one] Too many attempts. Try again in 1 minute.
   *[other] Too many attempts. Try again in { $minutes } minutes.
}
problem-database-unavailable-title = Service briefly unavailable
problem-database-unavailable-detail = We cannot reach the database. Try again in a minute.
problem-server-busy-title = Very busy right now
problem-server-busy-detail = Many people are signing in at once. Try again in { $seconds } seconds.
problem-internal-error-title = Something went wrong on our side
problem-internal-error-detail = Please try again. If it keeps happening, tell the pool staff.

## The body or the query as a whole

json-syntax = The body is not valid JSON. Look at line { $line }, column { $column }.
json-unreadable = We could not read the body.
upload-unreadable = We could not read the upload.
query-invalid = The query string is not valid.
query-missing = The query string needs { $name }.
query-problem = The query string is not valid: { $problem }.
query-nul = The query string holds a NUL character (%00). Remove it.

## Sign-in

unauthorized-sign-in-first = Sign in first. Send the token as "Authorization: Bearer" and the token.
unauthorized-header-unreadable = We cannot read the Authorization header.
unauthorized-header-scheme = The Authorization header must be "Bearer" and the token.
unauthorized-expired = Your sign-in has ended or is not valid. Please sign in again.
unauthorized-account-gone = This account is disabled or no longer exists.
unauthorized-disabled = This account is disabled.
unauthorized-wrong-credentials = The email address or password is not right.
unauthorized-sign-in-link-used = This sign-in link does not work any more. Ask for a new one.
unauthorized-invitation-used = This invitation link does not work any more. Ask the administrator for a new one.
unauthorized-reset-link-used = This link to choose a new password does not work any more. Ask for a new one.
unauthorized-metrics = The metrics are private. Send the metrics token as a bearer token.

## Conflicts with what is stored

conflict-duplicate-field = Another record already has this { $field }.
conflict-duplicate = This already exists.
conflict-reference = This points to something that does not exist, or that is still in use.
conflict-same-time = Someone else changed this at the same time. Please try again.
conflict-open-request = This student already has an open request for this.
conflict-loan-changed = The loan changed at the same moment. Try again.
conflict-device-proposed = This device is offered to a student. Reject that offer to free it.
conflict-device-reserved = This device is kept for a loan. It goes back to the pool when the pick-up time ends.
conflict-plan-ends = The data plan ends on { $day }. That is too soon to lend it. Renew the plan first (action renew_plan).
conflict-student-email = Your school has a student with this email address already.
conflict-student-has-kit = This student still has kit on loan. Erase the data once it is back or written off.
conflict-kit-taken = That kit is not free any more, or the request changed.
conflict-request-closed = The student's request is closed. Reject this offer.
conflict-last-admin = This is the last admin account. Make another admin first.
conflict-own-admin = You cannot take away your own admin role.
conflict-own-account = You cannot disable your own account.
conflict-serial = Another device of this kind has this serial number already.

## One field

field-required = Fill this in.
field-empty = This cannot be empty.
field-one-line = Use one line, without line breaks.
field-at-most-chars = Use at most { $max } characters.
field-at-least-chars = Use at least { $min } characters.
field-control-chars = Remove the hidden control characters.
field-nul = Remove the NUL character.
field-between = Give a number from { $min } to { $max }.
field-at-least = Give a number of at least { $min }.
field-at-most = Give a number of at most { $max }.
field-empty-list = Give at least one.
field-at-least-items = Give at least { $min }.
field-at-most-items = Give at most { $max }.
field-unique-items = Give each one only once.
field-email = This is not an email address. Write it like name@example.org.
field-date = Give a date like 2026-09-01.
field-date-time = Give a date and time like 2026-09-01T09:30:00Z.
field-id = This is not an id that this service gives out.
field-unknown = We do not know this field. Leave it out.
field-invalid = This value is not right.
field-body-object = Send the fields as one JSON object, between curly brackets.
field-breaks-rule = This breaks a rule of this record.
field-choice = Choose one of these: { $options }.
field-language = Choose Dutch (nl) or English (en).
field-type = { $expected ->
    [text] Give a text.
    [whole-number] Give a whole number.
    [number] Give a number.
    [boolean] Give true or false.
    [list] Give a list.
    [object] Give a group of fields.
   *[other] Leave this empty.
}
field-product-length = Use 1 to 100 characters.
field-product-chars = Use only letters, digits and - _ . +
field-serial-chars = Use only letters, digits and - _ . /
field-device-kind = Choose laptop or wifi_dongle.
field-required-for-laptop = Fill this in for a laptop.
field-dongle-only = This is for wi-fi dongles, not laptops.
field-laptop-only = This is for laptops, not wi-fi dongles.
field-year-range = { $day } is not a date of the programme. Use a year from 1970 to 9999.
field-period-order = The start must be on or before the end.
field-period-too-long = A report covers five years at most.
field-month-start = Start on the first day of a month, like 2026-01-01.
field-month-end = End on the last day of a month, like 2026-06-30.
field-month-ended = Choose months that have ended. The last one ended on { $day }.
field-month = Write a month like 2026-03 or 03-2026.
field-format = Choose json or csv.
field-format-with-chart = Choose json, csv or svg.
field-format-no-chart = Only the pool report has a chart. Choose json or csv.
field-end-before-start = The end cannot be before the start.
field-not-flagged = The student is not marked as lacking this. Set { $flag } first.
field-product-required = Say which software: a licence request needs a product.
field-product-only-licence = Only a licence request names a product. Leave it out.
field-tick-accessories = Tick off what came back of: { $items }.
field-accessory-not-lent = { $item } was not lent with this loan. It came with: { $items }.
field-accessory-not-lent-none = { $item } was not lent with this loan. Nothing came with it.
field-accessory-not-missing = { $item } was not missing. Missing now: { $items }.
field-accessory-not-missing-none = { $item } was not missing. Nothing is missing now.
field-today-or-later = Choose today or a later day.
field-after-due-date = Choose a day after the current end date, { $day }.
field-extension-limit = You can ask for { $days } days more at most. Choose { $day } or earlier.
field-seat-not-lost = A licence seat cannot be lost. Return the loan or write it off.
field-no-such-student = We cannot find this student.
field-no-such-organisation = We cannot find this organisation.
field-no-such-hub = We cannot find this hub.
field-no-such-donation = We cannot find this donation.
field-no-such-request = We cannot find this request.
field-no-such-device = We cannot find this device.
field-no-such-licence = We cannot find this licence.
field-organisation-kind = Choose an organisation of the kind { $kind }.
field-organisation-pool = Leave this empty for pool staff.
field-organisation-required = Give the organisation: a { $kind } account needs one.
field-role-student = Schools make student accounts when they enrol a student.
field-role-stays-student = A student account stays a student account.
field-hub-required = Say at which hub the device is. Nobody expected it at a hub.
field-same-hub = Choose another hub. The device is at this hub already.
field-no-device-rows = The file has no rows with devices.
field-no-student-rows = The file has no rows with students.
field-wrong-device-kind = The request is for a { $wanted }, not a { $given }.
field-wrong-product = The request is for { $wanted }, not { $given }.
field-wrong-password = This is not your current password.
field-give-licence = The request is for a licence seat. Give a licence_id.
field-give-device = The request is for a device. Give a device_id.
field-device-or-licence = Give a device_id or a licence_id.
field-student-erased = The data of this student was erased.
field-donor-state-filter = Donors see the stage of their kit. Filter by stage.
field-donor-required = Say which donor gave it.
field-school-required = Say which school.
field-seats-in-use = It cannot be { $seats }: { $in_use } seats are in use.
field-cursor = This is not a page marker that we gave out.

## A spreadsheet upload

file-too-many-rows = This file has more than { $max } rows. Split it into files of at most { $max } rows, and upload them one by one.
row-too-long = This line is longer than { $max } characters. Check that the file is a CSV file.
file-empty = The file is empty.
file-column-missing = The first line has no column { $column }.
file-column-twice = The column { $column } is there twice.
file-kind-missing = The first line has no column kind. Add one, or add ?kind=laptop to the address.
row-unreadable = We cannot read this line.
row-not-utf8 = This line is not UTF-8 text. Save the file as CSV (UTF-8) and upload it again.
row-nul = This line holds a NUL character. Save the file as CSV (UTF-8) and upload it again.
row-not-device-kind = "{ $value }" is not a kind of device. Use laptop or wifi_dongle.
row-not-whole-number = "{ $value }" is not a whole number.
row-not-number = "{ $value }" is not a number.
row-not-yes-no = "{ $value }" is not yes or no.
row-not-date = "{ $value }" is not a date. Write it like 2027-06-30.
row-not-language = "{ $value }" is not a language. Use nl or en.
row-not-track = "{ $value }" is not a track of the programme.
row-not-target-group = "{ $value }" is not a target group.
row-serial-twice = { $serial } is also on row { $first }.
row-serial-in-pool = { $serial } is in the pool already.
row-email-twice = { $email } is also on row { $first }.
row-email-enrolled = { $email } is at your school already.
row-no-such-hub = There is no hub called "{ $hub }".
unauthorized-code-spent = This code does not work any more: it was typed wrong { $tries } times. Ask for a new mail with a new code.
unauthorized-wrong-code = This code is not right, or it does not work any more. Ask for a new mail.
conflict-fault-not-active = Only kit that you have now can be reported broken.
field-tick-agreement = Tick the box to say that you agree.
field-choose-what-happened = Choose what happened.

## Answers that are not problems

accepted-magic-link = If this address belongs to a student, we have sent a sign-in link. It works once, for { $minutes } minutes.
accepted-reset = If this address has an account with a password, we have sent a link to choose a new one. It works once, for { $minutes } minutes.
field-choose-language = Choose the language of the mail.
field-choose-team-role = Choose staff or admin.
field-choose-organisation-kind = Choose school or donor.
field-choose-verification = Choose whether the check after the wipe passed or failed.
field-choose-lock-reason = Choose why the device is locked.
row-not-erasure-result = "{ $value }" is not a result. Use passed or failed.
row-not-erasure-method = "{ $value }" is not a method we know. Use purge or clear, or the tool's words for them.
row-not-time = "{ $value }" is not a time. Write it like 2026-12-03T10:05:00Z.
row-no-device-to-wipe = No device waits for a wipe with serial number { $serial }.
row-device-not-wipeable = { $serial } is { $state } now. Only received devices and devices back for inspection are wiped.
file-no-rows = The file has a first line but no rows.
field-set-ends-after-start = The last day must come after the first day.
field-set-too-long = A set is lent for { $weeks } weeks at most. Choose an earlier last day.
class-set-short-pool = { $short } more are not free at or near this hub now. Offer again later to top up the set.
class-set-short-students = { $short } more are not free for a set: { $kept } are kept for students who are waiting. Students come first.
conflict-open-class-set = Your school already has an open set for a course with this name. Follow that set, or give the course another name.
conflict-class-set-empty = No devices are held for this set. Offer the set again first.
field-agreement-not-current = This is not the current version of the agreement. Read the agreement again and accept that version.
field-set-device-twice = This device is in the list twice.
field-set-device-not-out = This device is not out with this set.
class-set-step-not-now = This cannot be done now: the set has moved on. Look at the set again.
class-set-agree-first = Tick the box to accept the agreement for your school.
class-set-tick-a-device = Tick each device that came back.
scan-not-in-set = This device is not ready for this class set.
scan-twice = You scanned this device already.
class-set-scan-all = Scan every device of the set first. Not scanned yet: { $tags }.
class-set-need-count = Say how many devices the class needs.
class-set-need-starts = Give the first day of the course.
class-set-need-ends = Give the last day of the course.
class-set-need-hub = Choose the hub where you pick up the set.
class-set-choose-device = Choose the device that will not come back.

## The programme's end: gifts
conflict-gift-not-allowed = The donor of this device does not allow gifts. The student brings it back.
conflict-gift-only-devices = Only a device can be a gift. A licence seat ends when the loan ends.

## A stack of returns
field-device-or-tag = Give the device_id or the asset_tag of the device.
conflict-in-use-no-round = There is no in-use round now.
conflict-in-use-not-asked = This loan is not in the round of now. It started later.
conflict-in-use-answered = This loan has an answer in this round already. Nothing changed.
conflict-in-use-round-over = This question is from an older round. There is a newer one now.
conflict-in-use-loan-closed = This loan has ended. There is nothing to answer.
field-in-use-seat = A licence cannot break or get lost. Choose "in use" or "not used".
in-use-broken-said = Said in the in-use round: it is broken.
