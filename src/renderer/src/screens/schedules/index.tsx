import { useMemo, useState } from 'react';
import type { Recipe } from '../../../../shared/jobs';
import type { Schedule } from '../../../../shared/schedules';
import { useStationStore } from '../../store';
import { draftFromRecipe, newStep, type RecipeDraft } from './recipe-draft';
import { RecipeForm } from './recipe-form';
import { RecipeList } from './recipe-list';
import { deviceTimeZone, draftFromSchedule, newScheduleDraft, type ScheduleDraft } from './schedule-draft';
import { ScheduleForm } from './schedule-form';
import { ScheduleList } from './schedule-list';
import { useStationOptions } from './station-options';
import { VIEW_ONLY_HINT, useViewOnly } from '../../components/view-only';
import './schedules.css';

const NONE: never[] = [];

/** Cron schedules, light timers and the recipes they can run. */
export function SchedulesScreen() {
  const schedules = useStationStore((s) => s.station?.schedules ?? NONE);
  const recipes = useStationStore((s) => s.station?.recipes ?? NONE);
  const options = useStationOptions();
  const { defaults } = options;
  const readOnly = useViewOnly();
  // The form keeps its own draft; this only says which one is open, so an update to the saved
  // schedule from another screen never overwrites what is being typed here.
  const [scheduleDraft, setScheduleDraft] = useState<ScheduleDraft | null>(null);
  const [recipeDraft, setRecipeDraft] = useState<RecipeDraft | null>(null);
  const scheduleIds = useMemo(() => new Set(schedules.map((status) => status.schedule.id)), [schedules]);
  const recipeIds = useMemo(() => new Set(recipes.map((recipe) => recipe.id)), [recipes]);

  const editSchedule = (schedule: Schedule) => setScheduleDraft(draftFromSchedule(schedule, defaults, options.units));
  const editRecipe = (recipe: Recipe) => setRecipeDraft(draftFromRecipe(recipe, defaults, options));

  return (
    <div className="screen-stack schedules-screen">
      {scheduleDraft ? (
        <ScheduleForm key={scheduleDraft.id || 'new'} initial={scheduleDraft} takenIds={scheduleIds} onClose={() => setScheduleDraft(null)} />
      ) : (
        <section className="panel" aria-labelledby="schedules-heading">
          <div className="section-head">
            <h2 id="schedules-heading">Schedules and light timers</h2>
            <button type="button" disabled={readOnly} title={readOnly ? VIEW_ONLY_HINT : undefined} onClick={() => setScheduleDraft(newScheduleDraft(defaults, deviceTimeZone()))}>
              New schedule
            </button>
          </div>
          <ScheduleList schedules={schedules} onEdit={editSchedule} />
        </section>
      )}
      {recipeDraft ? (
        <RecipeForm key={recipeDraft.id || 'new'} initial={recipeDraft} takenIds={recipeIds} onClose={() => setRecipeDraft(null)} />
      ) : (
        <section className="panel" aria-labelledby="recipes-heading">
          <div className="section-head">
            <h2 id="recipes-heading">Recipes</h2>
            <button type="button" disabled={readOnly} title={readOnly ? VIEW_ONLY_HINT : undefined} onClick={() => setRecipeDraft({ id: '', name: '', steps: [newStep('job', 1, defaults)] })}>
              New recipe
            </button>
          </div>
          <RecipeList recipes={recipes} onEdit={editRecipe} />
        </section>
      )}
    </div>
  );
}
